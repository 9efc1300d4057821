import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@react-router/node";
import { stringify } from "csv-stringify";

/**
 * A CSV download streamed row by row: the server never holds the whole file.
 * Spreadsheet formula characters at the start of a cell are neutralised.
 */
export function csvResponse(filename: string, header: readonly string[], rows: AsyncIterable<unknown[][]>) {
  const csv = stringify({ header: true, columns: [...header], cast: { string: neutralise } });
  const out = new PassThrough();
  csv.pipe(out);
  void (async () => {
    try {
      for await (const batch of rows) {
        for (const row of batch) {
          if (!csv.write(row)) await new Promise((resolve) => csv.once("drain", resolve));
        }
      }
      csv.end();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return new Response(createReadableStreamFromReadable(out), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}

function neutralise(value: string) {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export async function* once<T>(rows: T[][]) {
  yield rows;
}
