/** `"schema"."table"`, or `"table"` without a schema. Names are AegisPay's own, never user input. */
export function qualifiedName(schema: string | undefined, table: string): string {
  return schema === undefined || schema === '' ? `"${table}"` : `"${schema.replace(/"/g, '""')}"."${table}"`;
}
