// Runs s3rver for the S3 tests in a process of its own, started with `--openssl-legacy-provider`:
// s3rver 3.7 encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node >= 17)
// only has in its legacy provider, so without it every truncated listing fails with
// InternalError. Plain JavaScript so it needs no loader. Usage: fork with the data directory as
// argument; it sends `{ port }` once listening and exits on 'close' or when its parent goes.
import S3rver from 's3rver';

const directory = process.argv[2];
if (!directory || !process.send) throw new Error('fork me with a data directory');

const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
const { port } = await server.run();
process.send({ port });

const stop = async () => {
  await server.close().catch(() => {});
  process.exit(0);
};
process.on('message', (message) => {
  if (message === 'close') void stop();
});
process.on('disconnect', () => void stop());
