/** Uploaded files' bytes, in the database or an S3-compatible bucket (README, "Uploaded files"). */
export { ArrivedFiles } from './arrived-files.ts';
export { fileBucketFromConfig, type FileBucketFlags } from './bucket-config.ts';
export {
  discardFile,
  type FileRow,
  FileStorageUnavailableError,
  loadFile,
  newFilesStoredIn,
  objectKey,
  type SavedFile,
  saveFile,
  sha256Of,
  type StoredIn,
  useFileBucket,
  withSavedFile,
} from './file-storage.ts';
