import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../../../test/support/temp-dirs.ts';
import { streamZip, zipSafeName } from '../../src/commerce/zip-stream.ts';

const run = promisify(execFile);
const newFolder = temporaryFolders('zip-stream-');

describe('streamZip', () => {
  it('writes every entry, opening each only when the archive reaches it', async () => {
    const opened: string[] = [];
    const entries = ['01 - One.mp3', '02 - Two.mp3', '03 - Three.mp3'].map((name, i) => ({
      name,
      open: async () => {
        opened.push(name);
        // Earlier entries must be fully written before the next one opens.
        expect(opened.length).toBe(i + 1);
        return Readable.from([Buffer.alloc(100_000 + i, i + 1)]);
      },
    }));
    const file = path.join(await newFolder(), 'r.zip');
    await pipeline(streamZip(entries), createWriteStream(file));
    const { stdout } = await run('unzip', ['-Z1', file]);
    expect(stdout.trim().split('\n')).toEqual(['01 - One.mp3', '02 - Two.mp3', '03 - Three.mp3']);
    await run('unzip', ['-tq', file]);
  });

  it('fails the stream when an entry cannot be opened (the client sees a cut download, not a broken ZIP that looks whole)', async () => {
    const entries = [
      { name: 'a', open: async () => Readable.from([Buffer.from('a')]) },
      {
        name: 'b',
        open: async () => {
          throw new Error('gone');
        },
      },
    ];
    const file = path.join(await newFolder(), 'bad.zip');
    await expect(pipeline(streamZip(entries), createWriteStream(file))).rejects.toThrow('gone');
  });
});

describe('zipSafeName', () => {
  it('removes separators, control and reserved characters, and dots at the ends', () => {
    expect(zipSafeName('../../etc/passwd')).toBe('etc passwd');
    expect(zipSafeName('a\u0000b:c*?')).toBe('a b c');
    expect(zipSafeName('...')).toBe('track');
    expect(zipSafeName('Fine Name')).toBe('Fine Name');
  });
});
