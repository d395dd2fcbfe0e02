import { InMemoryEventStore } from "./in-memory-event-store.js";
import { runEventStoreContract } from "./contract/event-store-contract.js";

runEventStoreContract("in-memory", async () => ({
  makeStore: (options) => new InMemoryEventStore(options),
  teardown: async () => {},
}));
