'use strict';
/**
 * Preloaded into the AegisPay server by the memory benchmark (`node --expose-gc --require
 * memory-probe.cjs apps/aegispay/dist/main.js serve`, with an IPC channel); never part of the
 * product. The app exposes no process metrics (see its README), so the benchmark asks this probe:
 *
 * - `{ type: 'sample' }` → a full garbage collection, then `{ type: 'sample', rss, heapUsed,
 *   heapTotal, external, arrayBuffers }` in bytes (`process.memoryUsage()`): live memory, not
 *   garbage not yet collected;
 * - `{ type: 'snapshot', file }` → `v8.writeHeapSnapshot(file)`, then `{ type: 'snapshot', file }`.
 *
 * The channel is unref'd so it never keeps the server from exiting after SIGTERM.
 */
const v8 = require('node:v8');

process.on('message', (message) => {
  if (message === null || typeof message !== 'object' || typeof process.send !== 'function') return;
  if (message.type === 'sample') {
    if (typeof globalThis.gc === 'function') globalThis.gc();
    process.send({ type: 'sample', ...process.memoryUsage() });
  } else if (message.type === 'snapshot' && typeof message.file === 'string') {
    process.send({ type: 'snapshot', file: v8.writeHeapSnapshot(message.file) });
  }
});
if (process.channel !== undefined) process.channel.unref();
