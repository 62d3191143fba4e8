/** A user-facing failure: one line saying what is wrong and how to fix it. The CLI prints it and exits 1. */
export class LabError extends Error {}
