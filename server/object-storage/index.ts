/** Objects in an S3-compatible bucket: the client backups and uploaded files share. */
export {
  deleteObject,
  getObject,
  getObjectToFile,
  headObject,
  objectLocation,
  putObject,
  putObjectFile,
  S3RequestError,
  type S3Target,
} from './s3-client.ts';
