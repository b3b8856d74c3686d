/** The storage services a host can run; each has a strategy in this folder. */
export const STORAGE_KINDS = ['minio', 'rest-server', 'rclone'] as const;

type Kind = (typeof STORAGE_KINDS)[number];

/** The storage a host gets when neither it nor the server chooses one. */
export const DEFAULT_STORAGE: Kind = 'minio';

/**
 * Host fields that mean something to some storage services only. Setting one on a host whose
 * storage ignores it is refused, so a value never silently does nothing (for example `appendOnly`
 * on a minio host, or a `bucket` left behind after switching to rest-server).
 */
export const STORAGE_SPECIFIC_HOST_FIELDS: Readonly<Record<string, readonly Kind[]>> = {
  consolePort: ['minio'],
  bucket: ['minio'],
  prefix: ['minio'],
  appendOnly: ['rest-server', 'rclone'],
};
