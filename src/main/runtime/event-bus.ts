import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract.js';

export type Unsubscribe = () => void;

/** The contract's pushed events inside the main process; every shell forwards them. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  /** `outgoing`: applied to every payload before listeners see it (the core scrubs secrets there). */
  constructor(private readonly outgoing: <T>(payload: T) => T = (payload) => payload) {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit(name, this.outgoing(payload));
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
