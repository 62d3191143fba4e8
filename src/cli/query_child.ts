/**
 * The process `memcglab query` runs a statement in (see commands/query.ts): open the database
 * read-only, prepare the statement (read-only checks), stream its rows to stdout. Its parent
 * kills it at --timeout. Arguments come in MEMCGLAB_QUERY as JSON { db, sql, format }.
 */
import { noteDatabase } from '../store/errors.js';
import { openForQuery } from '../store/open.js';
import { readOnlyQuery } from '../store/query.js';
import { exitQuietlyOnEpipe } from './epipe.js';
import { reportFailure } from './fail.js';
import { type RowFormat, streamRows } from './stream.js';

async function main(): Promise<void> {
  const { db, sql, format } = JSON.parse(process.env.MEMCGLAB_QUERY ?? '{}') as { db: string; sql: string; format: RowFormat };
  noteDatabase(db);
  let sqlite = openForQuery(db);
  if (!sqlite) {
    const { openStore } = await import('../store/db.js'); // an older memcglab file: migrate it first
    sqlite = openStore(db, { readonly: true }).sqlite;
  }
  try {
    const { headers, rows } = readOnlyQuery({ sqlite }, sql);
    await streamRows(headers, rows, format);
  } finally {
    sqlite.close();
  }
}

exitQuietlyOnEpipe();
main().catch((e: unknown) => {
  process.exitCode = reportFailure(e, process.env.MEMCGLAB_DEBUG === '1');
});
