/**
 * Search text for Prisma's `contains` / `startsWith` / `endsWith`. Prisma puts the value into a LIKE/ILIKE pattern
 * as it is, so `%` and `_` would act as wildcards (`_` matched every member: issue 9) and a trailing backslash would
 * escape Prisma's own `%`. PostgreSQL's default LIKE escape character is the backslash, so prefixing each of the
 * three with one makes the text match literally (on PostgreSQL and PGlite alike).
 */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
