// The bucket writer of export jobs: parts of one size but the last (as R2 wants them), completing to the same
// bytes, and a file smaller than a part put at once.

import { describe, expect, it } from "vitest";
import { BucketFileWriter, PART_BYTES } from "../../functions/exports/files";
import { testEnv } from "../harness";

describe("the bucket writer", () => {
  const digest = async (data: ArrayBuffer | Uint8Array) =>
    Buffer.from(await crypto.subtle.digest("SHA-256", data)).toString("hex");

  it("uploads parts of one size but the last, which complete to the same bytes; a small file is one put", async () => {
    const bucket = testEnv.EXPORT_FILES!;
    const bytes = new Uint8Array(2 * PART_BYTES + 12_345).map((_, index) => (index * 31) % 251);
    const key = `test/parts-${crypto.randomUUID()}`;
    const partSizes: number[] = [];
    const counting = {
      put: () => {
        throw new Error("a file of several parts is not put");
      },
      createMultipartUpload: async (name: string, options: R2MultipartOptions) => {
        const upload = await bucket.createMultipartUpload(name, options);
        return {
          uploadPart: (n: number, part: Uint8Array) => {
            partSizes.push(part.byteLength);
            return upload.uploadPart(n, part);
          },
          complete: (parts: R2UploadedPart[]) => upload.complete(parts),
          abort: () => upload.abort(),
        };
      },
    } as unknown as R2Bucket;
    const writer = new BucketFileWriter(counting, key, {});
    for (let offset = 0; offset < bytes.length; offset += 65_000)
      await writer.write(bytes.subarray(offset, offset + 65_000));
    await writer.complete();
    expect(partSizes).toEqual([PART_BYTES, PART_BYTES, 12_345]);
    const stored = await bucket.get(key);
    expect(stored!.size).toBe(bytes.length);
    expect(await digest(await stored!.arrayBuffer())).toBe(await digest(bytes));

    const small = new BucketFileWriter(bucket, `${key}-small`, {});
    await small.write(bytes.subarray(0, 1234));
    await small.complete();
    const one = await bucket.get(`${key}-small`);
    expect(new Uint8Array(await one!.arrayBuffer())).toEqual(bytes.subarray(0, 1234));
  });
});
