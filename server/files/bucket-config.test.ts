import { describe, expect, it } from 'vitest';
import { fileBucketFromConfig } from './bucket-config.ts';

const keys = { KLUSTERA_FILES_S3_ACCESS_KEY_ID: 'AKIA-TEST', KLUSTERA_FILES_S3_SECRET_ACCESS_KEY: 'rahasia' };

describe('the files bucket from klustera serve flags and the environment', () => {
  it('is none without an endpoint: files stay in the database', () => {
    expect(fileBucketFromConfig({}, {})).toBeNull();
  });

  it('takes flags before the environment, and the key pair from the environment only', () => {
    const env = {
      ...keys,
      KLUSTERA_FILES_S3_ENDPOINT: 'https://ignored.example',
      KLUSTERA_FILES_S3_BUCKET: 'env-bucket',
      KLUSTERA_FILES_S3_PATH_STYLE: '1',
    };
    expect(fileBucketFromConfig({ endpoint: 'http://10.0.0.5:9000/', bucket: 'klustera-files', region: 'ap-southeast-3' }, env)).toEqual({
      endpoint: 'http://10.0.0.5:9000',
      bucket: 'klustera-files',
      region: 'ap-southeast-3',
      accessKeyId: 'AKIA-TEST',
      secretAccessKey: 'rahasia',
      pathStyle: true,
    });
    expect(fileBucketFromConfig({}, env)).toMatchObject({ endpoint: 'https://ignored.example', bucket: 'env-bucket', region: 'us-east-1' });
  });

  it('stops the start when half given, rather than quietly keeping files in the database', () => {
    expect(() => fileBucketFromConfig({ endpoint: 'https://s3.example.com' }, keys)).toThrow(/--files-s3-bucket/);
    expect(() => fileBucketFromConfig({ endpoint: 'https://s3.example.com', bucket: 'klustera-files' }, {})).toThrow(/ACCESS_KEY_ID/);
    expect(() => fileBucketFromConfig({ endpoint: 'ftp://s3.example.com', bucket: 'klustera-files' }, keys)).toThrow(/scheme/);
    expect(() => fileBucketFromConfig({ endpoint: 'https://s3.example.com/klustera', bucket: 'klustera-files' }, keys)).toThrow(/scheme/);
    expect(() => fileBucketFromConfig({ endpoint: 'https://s3.example.com', bucket: 'Bad_Name' }, keys)).toThrow(/--files-s3-bucket/);
  });
});
