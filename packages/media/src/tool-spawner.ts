import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/**
 * How the runner starts a tool. Node's `spawn` forks the calling process, and a fork copies its
 * page tables: from a process holding 700 MB (most of it PGlite's memory) each start holds the event loop
 * for 25–30 ms, and a version's eight tools start in a burst. The tool spawner is a small Node
 * process started once (tool-spawner-process.mjs) that forks the tools instead, in about 1 ms, and
 * connects their stdout, stderr and progress fds straight to sockets this process reads: no byte
 * of their output passes through it (docs/performance.md, "Media pipeline").
 */
export interface ToolProcess extends EventEmitter {
  readonly pid: number | undefined;
  /** Index = the tool's fd; null where it was not asked for. */
  readonly stdio: readonly (Readable | null)[];
  kill(signal: NodeJS.Signals): void;
}

export interface ToolLaunchOptions {
  /** The tool's fds to read (1 stdout, 2 stderr, 3 progress); the others are /dev/null. */
  fds: readonly number[];
  cwd?: string;
}

/**
 * Starts `command` (an absolute path) with `args`. The result emits `spawn` once it runs (pid set),
 * `error` if it could not start, and `close` (code, signal) once it has exited and every fd asked
 * for has been read to its end — what Node's ChildProcess emits.
 */
export interface ToolLauncher {
  launch(command: string, args: readonly string[], options: ToolLaunchOptions): ToolProcess;
}

/** Node's own spawn from this process: what runs where the spawner cannot (not Linux, it failed to start). */
export const directLauncher: ToolLauncher = {
  launch(command, args, { fds, cwd }) {
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'ignore', 'ignore'];
    for (const fd of fds) stdio[fd] = 'pipe';
    return spawn(command, [...args], { stdio, cwd, windowsHide: true }) as ChildProcess & ToolProcess;
  },
};

type FromSpawner =
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'error'; id: number; code: string | null; message: string }
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null };

const PROCESS_FILE = fileURLToPath(new URL('./tool-spawner-process.mjs', import.meta.url));

/** A tool started by the spawner, as the runner sees it. */
class SpawnedTool extends EventEmitter implements ToolProcess {
  pid: number | undefined;
  readonly stdio: (PassThrough | null)[] = [null, null, null];
  private openFds: Set<number>;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private done = false;

  constructor(
    fds: readonly number[],
    private readonly sendKill: (signal: NodeJS.Signals) => void,
  ) {
    super();
    this.openFds = new Set(fds);
    for (const fd of fds) this.stdio[fd] = new PassThrough();
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.done && this.exit === null) this.sendKill(signal);
  }

  /** The socket the spawner connected for `fd`, after its name line; `head` is what came with that line. */
  attach(fd: number, socket: net.Socket, head: Buffer): void {
    const stream = this.stdio[fd];
    if (!stream || !this.openFds.has(fd)) {
      socket.destroy();
      return;
    }
    if (head.length > 0) stream.write(head);
    const ended = () => {
      if (!this.openFds.delete(fd)) return;
      stream.end();
      this.maybeClose();
    };
    socket.once('end', ended);
    socket.once('close', ended); // also after an error (ignored where it was accepted)
    socket.pipe(stream, { end: false });
  }

  onMessage(message: FromSpawner): void {
    if (message.type === 'spawned') {
      this.pid = message.pid;
      this.emit('spawn');
    } else if (message.type === 'error') {
      this.fail(Object.assign(new Error(message.message), { code: message.code ?? undefined }));
    } else {
      this.exit = { code: message.code, signal: message.signal };
      this.maybeClose();
    }
  }

  /**
   * The spawner said it could not start it, or the spawner went away. Not started: `error`, no
   * close. Running: it died with the spawner, so it closes as killed.
   */
  fail(err: Error): void {
    if (this.done) return;
    if (this.pid !== undefined) {
      // It was running: the spawner's end killed it (each tool dies with the spawner).
      this.exit ??= { code: null, signal: 'SIGKILL' };
      for (const fd of [...this.openFds]) this.stdio[fd]?.end();
      this.openFds.clear();
      this.maybeClose();
      return;
    }
    this.done = true;
    for (const stream of this.stdio) stream?.end();
    this.emit('error', err);
  }

  private maybeClose(): void {
    if (this.done || this.exit === null || this.openFds.size > 0) return;
    this.done = true;
    this.emit('close', this.exit.code, this.exit.signal);
  }

  get finished(): boolean {
    return this.done;
  }
}

/** The spawner process and the socket its tools' output comes in on. */
export class ToolSpawner implements ToolLauncher {
  private readonly tools = new Map<number, SpawnedTool>();
  private nextId = 1;
  private gone = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly server: net.Server,
    private readonly socketPath: string,
    private readonly dir: string,
  ) {
    child.on('message', (message: FromSpawner) => {
      const tool = this.tools.get(message.id);
      if (!tool) return;
      tool.onMessage(message);
      this.forgetIfFinished(message.id, tool);
    });
    child.once('exit', () => this.end(new Error('the tool spawner ended')));
    child.on('error', () => this.end(new Error('the tool spawner failed')));
    server.on('connection', (socket) => this.accept(socket));
    this.idle();
  }

  /** Starts the spawner process; rejects when it cannot run (then start tools directly). */
  static async start(): Promise<ToolSpawner> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-tools-'));
    const socketPath = path.join(dir, 'out.sock');
    const server = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => resolve());
      });
      server.unref();
      // It ends when its IPC channel closes, however this process ended (even SIGKILLed): it kills its
      // tools, removes the socket's folder (mode 0700: only this user can connect), and exits. Not
      // bound by a death signal like the tools, which would kill it before it could tidy up.
      const env = { ...process.env };
      delete env.NODE_OPTIONS; // no TypeScript loader: it is plain JavaScript
      const child = spawn(process.execPath, [PROCESS_FILE, dir], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env,
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      return new ToolSpawner(child, server, socketPath, dir);
    } catch (err) {
      server.close();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  get alive(): boolean {
    return !this.gone;
  }

  launch(command: string, args: readonly string[], { fds, cwd }: ToolLaunchOptions): ToolProcess {
    const id = this.nextId++;
    const tool = new SpawnedTool(fds, (signal) => this.send({ type: 'kill', id, signal }));
    if (this.gone) {
      queueMicrotask(() => tool.fail(new Error('the tool spawner ended')));
      return tool;
    }
    this.tools.set(id, tool);
    this.busy();
    this.send({ type: 'spawn', id, command, args: [...args], cwd, fds: [...fds], socketPath: this.socketPath });
    tool.once('close', () => this.forgetIfFinished(id, tool));
    return tool;
  }

  /** Stops the spawner (its running tools are killed with it). */
  async close(): Promise<void> {
    if (this.gone) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    // Closing its channel is its signal to kill every tool and end.
    this.child.disconnect();
    this.end(new Error('the tool spawner was closed'));
    await exited;
  }

  private send(message: object): void {
    if (!this.gone && this.child.connected) this.child.send(message);
  }

  private accept(socket: net.Socket): void {
    const chunks: Buffer[] = [];
    socket.on('error', () => {}); // its close follows; the tool's exit says what went wrong
    const onHead = (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(10);
      if (newline < 0) {
        if (all.length > 64) socket.destroy(); // not ours
        return;
      }
      socket.off('data', onHead);
      socket.pause();
      const [id, fd] = all.subarray(0, newline).toString('latin1').split(' ').map(Number);
      const tool = this.tools.get(id!);
      if (!tool) {
        socket.destroy();
        return;
      }
      tool.attach(fd!, socket, all.subarray(newline + 1));
    };
    socket.on('data', onHead);
  }

  private forgetIfFinished(id: number, tool: SpawnedTool): void {
    if (!tool.finished || this.tools.get(id) !== tool) return;
    this.tools.delete(id);
    if (this.tools.size === 0) this.idle();
  }

  /** While a tool runs, the spawner's channel keeps this process alive (its exit is still to come). */
  private busy(): void {
    this.child.ref();
    this.child.channel?.ref();
  }

  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  private end(err: Error): void {
    if (this.gone) return;
    this.gone = true;
    this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
    for (const tool of this.tools.values()) tool.fail(err);
    this.tools.clear();
    this.idle();
  }
}

let shared: Promise<ToolLauncher> | null = null;
let restarts = 0;
/** A spawner that keeps ending is given up on: tools start directly from then on. */
const MAX_RESTARTS = 3;

/**
 * The launcher the runner uses when it is given none: one spawner per process, started at the first
 * tool and started again if it ends. Where it cannot run (not Linux, it fails to start, it keeps
 * ending) tools start directly.
 */
export async function sharedToolLauncher(): Promise<ToolLauncher> {
  if (process.platform !== 'linux') return directLauncher;
  shared ??= ToolSpawner.start().catch(() => directLauncher);
  const launcher = await shared;
  if (launcher instanceof ToolSpawner && !launcher.alive) {
    shared = ++restarts > MAX_RESTARTS ? Promise.resolve(directLauncher) : null;
    return sharedToolLauncher();
  }
  return launcher;
}
