import type { ExportSink } from "./stream";

/**
 * Bytes a part of a job's file holds. R2 wants every part but the last to be one size of at least 5 MiB; the
 * Worker holds about one part at a time.
 */
export const PART_BYTES = 5 * 1024 * 1024;

/**
 * Writes a file to the bucket in parts as its bytes arrive: a multipart upload from the first full part on, or
 * one put for a file smaller than a part. Nothing is visible under the key until the upload completes.
 */
export class BucketFileWriter {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private upload: R2MultipartUpload | undefined;
  private parts: R2UploadedPart[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly options: R2MultipartOptions,
    private readonly partBytes = PART_BYTES,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    while (this.buffered >= this.partBytes) await this.uploadPart(this.take(this.partBytes));
  }

  /** Uploads what is left and makes the object whole. */
  async complete(): Promise<void> {
    if (!this.upload) {
      await this.bucket.put(this.key, this.take(this.buffered), this.options);
      return;
    }
    if (this.buffered > 0) await this.uploadPart(this.take(this.buffered));
    await this.upload.complete(this.parts);
  }

  /** Drops the parts uploaded so far (a failed job). */
  async abort(): Promise<void> {
    await this.upload?.abort().catch(() => {});
  }

  private async uploadPart(bytes: Uint8Array): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, this.options);
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes));
  }

  /** The first `size` buffered bytes, as one array. */
  private take(size: number): Uint8Array {
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const head = this.chunks[0] as Uint8Array;
      const needed = size - filled;
      if (head.byteLength <= needed) {
        out.set(head, filled);
        filled += head.byteLength;
        this.chunks.shift();
      } else {
        out.set(head.subarray(0, needed), filled);
        this.chunks[0] = head.subarray(needed);
        filled = size;
      }
    }
    this.buffered -= size;
    return out;
  }
}

/** A sink that writes the export into the bucket and, inside the snapshot's transaction, completes it. */
export function bucketSink(file: BucketFileWriter, finish: ExportSink["finish"]): ExportSink {
  return {
    begin: () => {},
    write: (chunk) => file.write(chunk),
    finish: async (tx, totals) => {
      await file.complete();
      await finish(tx, totals);
    },
  };
}
