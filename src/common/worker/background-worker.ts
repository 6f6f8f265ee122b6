import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A loop every instance runs in the background: one pass at a time, the next `intervalMs` after
 * the last one ended (0: only when woken or called), woken early by `wake()` (a pass asked for
 * while one runs follows right after it, once), stopped with the application after the pass in
 * progress. A pass that fails is logged and the loop goes on. Work that several instances share is
 * made safe by the pass itself (advisory locks, SKIP LOCKED), not here.
 */
export abstract class BackgroundWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  protected constructor(readonly workerName: string) {
    this.logger = new Logger(workerName);
  }

  /** Milliseconds between passes; 0 runs passes only when woken. */
  protected abstract intervalMs(): number;

  /** One pass of the work. */
  protected abstract pass(): Promise<void>;

  /** What to do at start besides scheduling (e.g. LISTEN), before the first pass. */
  protected async start(): Promise<void> {}

  /** What to release at shutdown, after the last pass. */
  protected async stop(): Promise<void> {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.stop();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs a pass now, or right after the one in progress; nothing when passes run only on demand. */
  wake(): void {
    if (this.stopped || this.intervalMs() === 0) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.pass()
      .catch((error: unknown) =>
        this.logger.error(`${this.workerName} failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        } else this.schedule();
      });
  }

  private schedule(): void {
    const interval = this.intervalMs();
    if (this.stopped || interval === 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, interval);
    this.timer.unref();
  }
}
