/**
 * The bound on background work: shadow and noise-detection calls in flight
 * on this replica. Full means the call is skipped and counted, never queued —
 * a slow module must not turn into a growing backlog of pending shadows.
 */
export class ShadowSlots {
  private inFlight = 0;

  constructor(readonly capacity: number) {}

  get used(): number {
    return this.inFlight;
  }

  tryAcquire(): boolean {
    if (this.inFlight >= this.capacity) return false;
    this.inFlight += 1;
    return true;
  }

  release(): void {
    if (this.inFlight > 0) this.inFlight -= 1;
  }
}
