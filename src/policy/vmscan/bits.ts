/** fls_long(): the 1-based index of the highest set bit, 0 for 0. */
export function fls(x: number): number {
  let n = 0;
  while (x > 0) {
    n++;
    x = Math.floor(x / 2);
  }
  return n;
}
