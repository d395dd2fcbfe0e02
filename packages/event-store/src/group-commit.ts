/**
 * Coalesces concurrent requests into batches: while `maxInFlight` batches are
 * being written, new requests queue up and leave together in the next one. One
 * request alone is sent at once, so batching costs no latency when idle.
 */
export class GroupCommit<Request, Result> {
  private queue: Array<{ request: Request; resolve: (r: Result) => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;

  constructor(
    /** Writes one batch; returns one outcome per request, in order (an Error rejects that request only). */
    private readonly writeBatch: (requests: Request[]) => Promise<Array<Result | Error>>,
    private readonly options: { maxInFlight: number; maxBatch: number },
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.writeBatch(batch.map((b) => b.request))
        .then(
          (outcomes) => {
            batch.forEach((b, i) => {
              const outcome = outcomes[i];
              if (outcome instanceof Error) b.reject(outcome);
              else b.resolve(outcome as Result);
            });
          },
          (error: unknown) => {
            for (const b of batch) b.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}
