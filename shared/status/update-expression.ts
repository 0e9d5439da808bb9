/**
 * Builds an UpdateItem's expressions with placeholders for every name and value, so reserved words
 * (`status`, `final`…) and attribute names such as `history_sent` need no special care.
 */
export class UpdateExpression {
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  private readonly adds: string[] = [];
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, unknown> = {};
  private readonly valueKeys = new Map<unknown, string>();

  /** `#name` placeholder for an attribute name. */
  name(attribute: string): string {
    const placeholder = `#${attribute.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const existing = this.names[placeholder];
    if (existing !== undefined && existing !== attribute) {
      throw new Error(
        `attribute names "${existing}" and "${attribute}" share the placeholder ${placeholder}`,
      );
    }
    this.names[placeholder] = attribute;
    return placeholder;
  }

  /** `:vN` placeholder for a value; primitive values are shared between uses. */
  value(value: unknown): string {
    const shareable = value === null || typeof value !== 'object';
    if (shareable) {
      const existing = this.valueKeys.get(value);
      if (existing !== undefined) return existing;
    }
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    if (shareable) this.valueKeys.set(value, placeholder);
    return placeholder;
  }

  set(attribute: string, value: unknown): this {
    this.sets.push(`${this.name(attribute)} = ${this.value(value)}`);
    return this;
  }

  /** SET with an expression built from this object's placeholders, e.g. `if_not_exists(...)`. */
  setExpression(attribute: string, expression: string): this {
    this.sets.push(`${this.name(attribute)} = ${expression}`);
    return this;
  }

  /** SET only when the value is given; `undefined` leaves the attribute alone. */
  setIfDefined(attribute: string, value: unknown): this {
    return value === undefined ? this : this.set(attribute, value);
  }

  /** ADD: a number attribute grows by `amount` (created at `amount` when absent), in one atomic write. */
  add(attribute: string, amount: number): this {
    this.adds.push(`${this.name(attribute)} ${this.value(amount)}`);
    return this;
  }

  remove(...attributes: string[]): this {
    for (const attribute of attributes) this.removes.push(this.name(attribute));
    return this;
  }

  /** `NOT (#attr IN (:a, :b))` */
  notIn(attribute: string, values: Iterable<unknown>): string {
    const list = [...values].map((value) => this.value(value)).join(', ');
    return `NOT (${this.name(attribute)} IN (${list}))`;
  }

  build(condition?: string): {
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  } {
    const clauses: string[] = [];
    if (this.sets.length > 0) clauses.push(`SET ${this.sets.join(', ')}`);
    if (this.removes.length > 0) clauses.push(`REMOVE ${this.removes.join(', ')}`);
    if (this.adds.length > 0) clauses.push(`ADD ${this.adds.join(', ')}`);
    const result: ReturnType<UpdateExpression['build']> = {
      UpdateExpression: clauses.join(' '),
      ExpressionAttributeNames: { ...this.names },
    };
    if (condition !== undefined) result.ConditionExpression = condition;
    if (Object.keys(this.values).length > 0) result.ExpressionAttributeValues = { ...this.values };
    return result;
  }
}
