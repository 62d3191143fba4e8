import type { Store } from './db.js';

/** A snapshot ready to store: what `writeSnapshot` writes, made where the state lives (the log writer thread only stores it). */
export interface EncodedSnapshot {
  seq: number;
  tick: number;
  cycle: number;
  state: Uint8Array;
  lab: string;
  stateHash: string;
}

export function insertSnapshot(store: Store, run: number, snap: EncodedSnapshot): void {
  // a Uint8Array that came through postMessage is bound as a Buffer over the same bytes
  const blob = Buffer.isBuffer(snap.state) ? snap.state : Buffer.from(snap.state.buffer, snap.state.byteOffset, snap.state.byteLength);
  store.sqlite
    .prepare('INSERT INTO snapshots (run, seq, tick, cycle, state, lab, state_hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(run, snap.seq, snap.tick, snap.cycle, blob, snap.lab, snap.stateHash);
}
