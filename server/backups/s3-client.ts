// The S3 client moved to server/object-storage/ when uploaded files could live in a bucket too; backups still
// import it from here until their modules name the new place.
export * from '../object-storage/index.ts';
