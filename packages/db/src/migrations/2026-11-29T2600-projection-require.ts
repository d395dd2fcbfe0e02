import { type Kysely, sql } from "kysely";

/**
 * aidtrail_require(ok, message): raises `message` (SQLSTATE P0001) unless `ok`. The live
 * projector opens a read model's batch transaction with it (lease held, batch due) and sends the
 * batch's writes and its commit right behind without waiting: when the opening raises, PostgreSQL
 * fails every statement after it in the transaction and answers the commit with a rollback.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function aidtrail_require(ok boolean, message text) returns boolean
    language plpgsql as $$
    begin
      if ok is not true then
        raise exception '%', message using errcode = 'P0001';
      end if;
      return true;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists aidtrail_require(boolean, text)`.execute(db);
}
