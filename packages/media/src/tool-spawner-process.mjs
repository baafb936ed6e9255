// The tool spawner's own process (tool-spawner.ts): a small Node process, started once, that
// starts ffmpeg and ffprobe for the big one. Forking copies the parent's page tables, so a fork from
// a 700 MB worker holds its event loop for tens of milliseconds; from here it takes about one.
//
// Plain JavaScript on purpose: it starts without a TypeScript loader, so it is small and quick.
//
// Messages from the parent (IPC):
//   { type: 'spawn', id, command, args, cwd, fds, socketPath }
//       Connects one socket to `socketPath` for each fd in `fds` (1 stdout, 2 stderr, 3 progress),
//       names it with the line `<id> <fd>\n`, and starts the tool with those sockets as its fds, so
//       its output goes straight to the parent; nothing is copied here.
//   { type: 'kill', id, signal }
// Messages to the parent: { type: 'spawned', id, pid }, { type: 'error', id, code, message },
// { type: 'exit', id, code, signal }.
//
// When the parent goes (its IPC channel closes, even after a SIGKILL), every tool is killed, the
// socket's folder (argv[2]) is removed and this process ends. Each tool is bound to this process
// (setpriv --pdeathsig in the command the parent sends), so a SIGKILL here ends them too.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';

/** The folder of the parent's socket: removed here when the parent goes, however it went. */
const socketDir = process.argv[2];

const children = new Map();
/** Tools being connected, not started yet: a kill for one of them is kept and applied instead of starting it. */
const connecting = new Set();
const earlyKills = new Map();

function send(message) {
  if (process.connected) process.send(message);
}

function connect(socketPath, id, fd) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(`${id} ${fd}\n`, (err) => (err ? reject(err) : resolve(socket)));
    });
  });
}

async function start({ id, command, args, cwd, fds, socketPath }) {
  let sockets;
  try {
    sockets = await Promise.all(fds.map((fd) => connect(socketPath, id, fd)));
  } catch (err) {
    connecting.delete(id);
    earlyKills.delete(id);
    send({ type: 'error', id, code: err.code ?? null, message: `tool spawner: ${err.message}` });
    return;
  }
  connecting.delete(id);
  const early = earlyKills.get(id);
  if (early) {
    earlyKills.delete(id);
    for (const socket of sockets) socket.destroy();
    send({ type: 'exit', id, code: null, signal: early });
    return;
  }
  const stdio = ['ignore', 'ignore', 'ignore', 'ignore'];
  fds.forEach((fd, i) => {
    stdio[fd] = sockets[i];
  });
  if (!fds.includes(3)) stdio.pop();
  let child;
  try {
    child = spawn(command, args, { stdio, cwd, windowsHide: true });
  } catch (err) {
    for (const socket of sockets) socket.destroy();
    send({ type: 'error', id, code: err.code ?? null, message: err.message });
    return;
  }
  // The tool holds its own copies of the sockets; ours would keep the parent's ends open.
  for (const socket of sockets) socket.destroy();
  children.set(id, child);
  child.once('spawn', () => send({ type: 'spawned', id, pid: child.pid }));
  child.once('error', (err) => {
    if (child.pid !== undefined) return;
    children.delete(id);
    send({ type: 'error', id, code: err.code ?? null, message: err.message });
  });
  child.once('exit', (code, signal) => {
    children.delete(id);
    send({ type: 'exit', id, code, signal });
  });
}

process.on('message', (message) => {
  if (message?.type === 'spawn') {
    connecting.add(message.id);
    void start(message);
  } else if (message?.type === 'kill') {
    if (connecting.has(message.id)) earlyKills.set(message.id, message.signal);
    else children.get(message.id)?.kill(message.signal);
  }
});

// A terminal's Ctrl-C or a service manager's SIGTERM reaches the whole process group: the parent
// decides what happens to the tools (its shutdown aborts them), and this process ends with it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

process.on('disconnect', () => {
  for (const child of children.values()) child.kill('SIGKILL');
  if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  process.exit(0);
});
