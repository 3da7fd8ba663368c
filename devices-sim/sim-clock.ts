/** Simulated time: the wall clock, or a replay from a past start at N× speed that then continues live. */

export interface SimClock {
  /** Simulated time now, ms; never ahead of the wall clock, so no reading is from the future. */
  now(): number;
  /** When (wall clock) the simulation reaches a simulated time. */
  wallAt(simTs: number): number;
  simStart: number;
  wallStart: number;
  speed: number;
}

export function createSimClock(o: { start?: number; speed?: number; wall?: () => number }): SimClock {
  const wall = o.wall ?? Date.now;
  const wallStart = wall();
  const simStart = o.start ?? wallStart;
  const speed = o.start === undefined ? 1 : (o.speed ?? 1);
  // The replay catches up with the wall clock here and runs live from then on.
  const catchUp = speed > 1 ? (wallStart * speed - simStart) / (speed - 1) : wallStart;
  return {
    simStart,
    wallStart,
    speed,
    now: () => Math.min(wall(), simStart + (wall() - wallStart) * speed),
    wallAt: (simTs) => (speed > 1 && simTs < catchUp ? wallStart + (simTs - simStart) / speed : simTs),
  };
}
