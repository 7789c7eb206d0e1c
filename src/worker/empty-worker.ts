// An empty worker: what creating and joining a thread costs, with nothing loaded in it.
export {};
