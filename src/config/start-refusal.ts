// A reason kehu will not start that the operator can fix (a setting, the org file, the
// database file): main.ts prints its message on one line and exits 2, whichever thread found it.
export class StartRefusal extends Error {}
