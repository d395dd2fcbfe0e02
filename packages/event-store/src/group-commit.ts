/**
 * Coalesces concurrent requests into batches: while `maxInFlight` batches are
 * being written, new requests queue up and leave together in the next one. A batch
 * leaves on the next turn of the event loop (setImmediate), so writers released by
 * the previous batch rejoin the queue first instead of leaving one by one.
 */
export class GroupCommit<Request, Result> {
  private queue: Array<{ request: Request; resolve: (r: Result) => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;
  private pumpScheduled = false;

  constructor(
    /** Writes one batch; returns one outcome per request, in order (an Error rejects that request only). */
    private readonly writeBatch: (requests: Request[]) => Promise<Array<Result | Error>>,
    private readonly options: { maxInFlight: number; maxBatch: number },
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedulePump();
    });
  }


  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
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
          this.schedulePump();
        });
    }
  }
}
