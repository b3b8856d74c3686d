/** The storage services a host can run; each has a strategy in this folder. */
export const STORAGE_KINDS = ['minio'] as const;
