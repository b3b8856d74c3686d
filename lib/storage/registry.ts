/** The storage backend of each kind. */
import type { StorageKind } from '../config/types';
import type { StorageBackend } from './storage-backend';
import { minio } from './minio';

const BACKENDS: Readonly<Record<StorageKind, StorageBackend>> = { minio };

export function storageBackend(kind: StorageKind): StorageBackend {
  return BACKENDS[kind];
}
