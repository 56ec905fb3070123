// `k6/metrics`: every sample kept, by metric name (shared by all VUs), for the runner to judge.
if (!globalThis.__k6shimMetrics) globalThis.__k6shimMetrics = new Map();
const registry = globalThis.__k6shimMetrics;

class Metric {
  constructor(type, name, isTime = false) {
    this.name = name;
    const known = registry.get(name);
    if (known && known.type !== type) throw new Error(`metric ${name} registered as ${known.type} and ${type}`);
    if (!known) registry.set(name, { type, contains: isTime ? 'time' : 'default', samples: [] });
  }
  add(value, tags = {}) {
    registry.get(this.name).samples.push({ value: Number(value), tags: { ...tags } });
  }
}
export class Counter extends Metric {
  constructor(name, isTime) {
    super('counter', name, isTime);
  }
}
export class Trend extends Metric {
  constructor(name, isTime) {
    super('trend', name, isTime);
  }
}
export class Rate extends Metric {
  constructor(name) {
    super('rate', name);
  }
  add(value, tags) {
    super.add(value ? 1 : 0, tags);
  }
}
export class Gauge extends Metric {
  constructor(name, isTime) {
    super('gauge', name, isTime);
  }
}
