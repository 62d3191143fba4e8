/**
 * The reader of stdout went away (`memcglab … | head`): what it wanted is printed, so stop quietly
 * with the exit code so far, as other command-line tools do, before a command trips over its own
 * half-finished output (a statement still iterating when its connection closes, say).
 */
export function exitQuietlyOnEpipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}
