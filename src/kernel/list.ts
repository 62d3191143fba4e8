import type { Folio, ListHead } from './state.js';

// The list_head operations the LRU code needs. Head = youngest end, tail = where reclaim scans.

export function listAdd(l: ListHead, f: Folio): void {
  f.prev = null;
  f.next = l.head;
  if (l.head) l.head.prev = f;
  else l.tail = f;
  l.head = f;
  l.count++;
}

export function listAddTail(l: ListHead, f: Folio): void {
  f.next = null;
  f.prev = l.tail;
  if (l.tail) l.tail.next = f;
  else l.head = f;
  l.tail = f;
  l.count++;
}

export function listDel(l: ListHead, f: Folio): void {
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
