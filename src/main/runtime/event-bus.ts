import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract.js';

export type Unsubscribe = () => void;

/** The contract's pushed events inside the main process; every shell forwards them. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit(name, payload);
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
