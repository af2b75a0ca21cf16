// A clock the test sets for a kehu child process (the process tests' "fixed clock that walks
// working days"): preloaded with `NODE_OPTIONS=--require …/shifted-clock.cjs` and
// KEHU_TEST_CLOCK_OFFSET_MS, every `new Date()` and `Date.now()` runs that many ms ahead of
// real time — in the main thread and in the work thread alike (a --require preload runs in
// worker threads too; --import does not), with the same offset, so both agree. Timers are
// untouched: a lease of 30 s still lasts 30 s. The test moves the clock between two runs
// of the process. CommonJS, because only --require reaches the worker threads.
'use strict';
const offset = Number(process.env.KEHU_TEST_CLOCK_OFFSET_MS);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  const now = () => RealDate.now() + offset;
  function ShiftedDate(...args) {
    // Date() called without new is a string of now.
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length ? args : [now()], new.target);
  }
  // Same prototype: instances are ordinary Dates, `instanceof` holds both ways.
  ShiftedDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(ShiftedDate, RealDate);
  ShiftedDate.now = now;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  globalThis.Date = ShiftedDate;
}
