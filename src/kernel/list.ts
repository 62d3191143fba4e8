import { DEBUG_VM, vmWarn } from './debug.js';
import type { Folio, ListHead } from './state.js';

// The list_head operations the LRU code needs. Head = youngest end, tail = where reclaim scans.

/** __list_add_valid(): the entry is not linked anywhere (nor is it this list's only entry). */
function checkAdd(l: ListHead, f: Folio): void {
  if (f.prev || f.next || l.head === f) vmWarn(`list_add: folio ${f.id} is already on a list`);
}

/** __list_del_entry_valid(): the neighbours (or this list's ends) point back at the entry. */
function checkDel(l: ListHead, f: Folio): void {
  const prevOk = f.prev ? f.prev.next === f : l.head === f;
  const nextOk = f.next ? f.next.prev === f : l.tail === f;
  if (!prevOk || !nextOk) vmWarn(`list_del: folio ${f.id} is not on this list`);
}

export function listAdd(l: ListHead, f: Folio): void {
  if (DEBUG_VM.on) checkAdd(l, f);
  f.prev = null;
  f.next = l.head;
  if (l.head) l.head.prev = f;
  else l.tail = f;
  l.head = f;
  l.count++;
}

export function listAddTail(l: ListHead, f: Folio): void {
  if (DEBUG_VM.on) checkAdd(l, f);
  f.next = null;
  f.prev = l.tail;
  if (l.tail) l.tail.next = f;
  else l.head = f;
  l.tail = f;
  l.count++;
}

export function listDel(l: ListHead, f: Folio): void {
  if (DEBUG_VM.on) checkDel(l, f);
  if (f.prev) f.prev.next = f.next;
  else l.head = f.next;
  if (f.next) f.next.prev = f.prev;
  else l.tail = f.prev;
  f.prev = f.next = null;
  l.count--;
}

/** list_splice_tail_init(src, dst): src's folios go after dst's tail, in order; src is emptied. */
export function listSpliceTail(src: ListHead, dst: ListHead): void {
  if (!src.head) return;
  if (dst.tail) {
    dst.tail.next = src.head;
    src.head.prev = dst.tail;
  } else dst.head = src.head;
  dst.tail = src.tail;
  dst.count += src.count;
  src.head = src.tail = null;
  src.count = 0;
}

/** list_splice_init(src, dst): src's folios go before dst's head; src is emptied. */
export function listSplice(src: ListHead, dst: ListHead): void {
  if (!src.head) return;
  if (dst.head) {
    src.tail!.next = dst.head;
    dst.head.prev = src.tail;
  } else dst.tail = src.tail;
  dst.head = src.head;
  dst.count += src.count;
  src.head = src.tail = null;
  src.count = 0;
}
