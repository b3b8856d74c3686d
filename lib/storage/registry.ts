/** The storage backend of each kind. */
import type { StorageKind } from '../config/types';
import type { StorageBackend } from './storage-backend';
import { minio } from './minio';
import { restServer } from './rest-server';
import { rclone } from './rclone';

const BACKENDS: Readonly<Record<StorageKind, StorageBackend>> = { minio, 'rest-server': restServer, rclone };

export function storageBackend(kind: StorageKind): StorageBackend {
  return BACKENDS[kind];
}
