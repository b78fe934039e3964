import { hash32 } from '../routes/bucketing';

// HyperLogLog with 2^11 registers: 2 KiB per sketch, a standard error of about 2.3 %, and nearly exact for small counts.
const PRECISION = 11;
const REGISTERS = 1 << PRECISION;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);
// 2^-value for every value a register (a byte, possibly another replica's) can hold: the guards estimate
// twice per route every tick, 2,048 registers each, and a power per register was a visible share of that.
const INVERSE_POWERS = Float64Array.from({ length: 256 }, (_, value) => 2 ** -value);

/**
 * How many distinct clients (sticky keys) were seen, estimated in fixed
 * memory whatever the traffic, and mergeable: the union of two sketches is
 * their register-wise maximum, so slices of a window and replicas of a fleet
 * add up without double counting a client seen by several of them.
 */
export class DistinctClients {
  readonly registers = new Uint8Array(REGISTERS);

  add(client: string): void {
    const h = hash32(`clients\u0000${client}`);
    const index = h >>> (32 - PRECISION);
    const rest = (h << PRECISION) >>> 0;
    const rank = rest === 0 ? 32 - PRECISION + 1 : Math.clz32(rest) + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  merge(other: DistinctClients): void {
    this.mergeRegisters(other.registers);
  }

  clear(): void {
    this.registers.fill(0);
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (const register of this.registers) {
      sum += INVERSE_POWERS[register]!;
      if (register === 0) zeros += 1;
    }
    if (zeros === REGISTERS) return 0;
    const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
    // Small range: linear counting, exact to within a client or two while most registers are empty.
    return Math.round(raw <= 2.5 * REGISTERS && zeros > 0 ? REGISTERS * Math.log(REGISTERS / zeros) : raw);
  }

  /** The registers as base64, for a replica's published figures. */
  toPortable(): string {
    return Buffer.from(this.registers).toString('base64');
  }

  /** Adds published registers; anything not of this layout (a replica on other code) is ignored. */
  mergePortable(portable: string): void {
    const registers = Buffer.from(portable, 'base64');
    if (registers.length === REGISTERS) this.mergeRegisters(registers);
  }

  private mergeRegisters(registers: Uint8Array): void {
    for (let i = 0; i < REGISTERS; i += 1) if (registers[i]! > this.registers[i]!) this.registers[i] = registers[i]!;
  }
}
