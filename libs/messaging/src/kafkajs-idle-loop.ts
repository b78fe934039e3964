/**
 * kafkajs 2.2.4 (unmaintained; its issues #1556 and #1704) re-arms a timer on
 * every broker connection each time the connection's request queue is checked,
 * even with nothing queued and nothing throttled:
 * `setTimeout(check, throttledUntil - Date.now())`, a negative delay that Node
 * runs after 1 ms (and, since Node 23, reports as a TimeoutNegativeWarning).
 * Every connection thereby wakes its process a thousand times a second, for
 * nothing, which on a small machine shows up in the latency of everything
 * sharing it. With nothing pending and no throttle there is nothing to check:
 * a request enqueued later schedules its own check, and every answer re-checks
 * the queue, so skipping that timer changes nothing else.
 *
 * Takes kafkajs' RequestQueue class (`require('kafkajs/src/network/requestQueue')`:
 * not exported by the entry point; 2.2.4 is the last release, so the path is
 * stable) from the caller, and is free of TypeScript-only syntax, so that the
 * benchmark tools (ES modules) can load this file with Node's type stripping.
 */
interface RequestQueuePrototype {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
  [patched]?: true;
}

const patched = Symbol.for('understudy.kafkajs-idle-loop-stopped');

export function stopKafkajsIdleLoop(RequestQueue: { prototype: unknown }): void {
  const prototype = RequestQueue.prototype as RequestQueuePrototype;
  if (prototype[patched]) return;
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function (this: RequestQueuePrototype) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
  prototype[patched] = true;
}
