import { Alert, Flex, Input, LoadingButton, NumberInput, Select, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { ApiResult } from './generated/abmApi.ts';
import { failureMessage } from './generated/abmApi.ts';
import { COST_CATEGORY_LABELS, moneyLabel } from './generated/format.ts';
import type { CostCategory, CostLine, PostCostsResponse } from './generated/shared/abm-contracts.js';
import {
  COST_CATEGORIES,
  CostCategorySchema,
  PostCostsBodySchema,
} from './generated/shared/abm-contracts.js';

// One cost ledger line at a time: an amount, or for sales time the hours the server values at the loaded
// rate. Checked by the server's own schema before it is sent.

type Booking =
  | { readonly status: 'idle' }
  | { readonly status: 'invalid'; readonly problems: readonly string[] }
  | { readonly status: 'sending' }
  | { readonly status: 'booked'; readonly line: CostLine }
  | { readonly status: 'failed'; readonly message: string };

export function CostSection({
  currency,
  onBook,
}: {
  readonly currency: string;
  readonly onBook: (line: CostLine) => Promise<ApiResult<PostCostsResponse>>;
}) {
  const [month, setMonth] = useState('');
  const [category, setCategory] = useState<CostCategory>('programme_budget');
  const [quantity, setQuantity] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [booking, setBooking] = useState<Booking>({ status: 'idle' });
  const inHours = category === 'sales_time';
  const submit = async () => {
    const line = {
      period: month.trim(),
      category,
      ...(quantity === null ? {} : inHours ? { hours: quantity } : { amount: quantity }),
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    };
    const parsed = PostCostsBodySchema.safeParse({ lines: [line], mode: 'append' });
    if (!parsed.success) {
      return setBooking({
        status: 'invalid',
        problems: parsed.error.issues.map(
          (issue) => `${issue.path.slice(2).join('.') || 'line'}: ${issue.message}`,
        ),
      });
    }
    const [valid] = parsed.data.lines;
    if (valid === undefined) return;
    setBooking({ status: 'sending' });
    const result = await onBook(valid);
    setBooking(
      result.ok
        ? { status: 'booked', line: valid }
        : { status: 'failed', message: failureMessage(result.failure) },
    );
  };
  return (
    <Flex direction="column" gap="sm" testId="costs">
      <Input label="Month (YYYY-MM)" name="period" value={month} onChange={setMonth} testId="cost-month" />
      <Select
        label="Category"
        name="category"
        value={category}
        options={COST_CATEGORIES.map((value) => ({ label: COST_CATEGORY_LABELS[value], value }))}
        onChange={(value) => {
          const parsed = CostCategorySchema.safeParse(value);
          if (parsed.success) setCategory(parsed.data);
        }}
        testId="cost-category"
      />
      <NumberInput
        label={inHours ? 'Sales hours' : `Amount (${currency})`}
        name="quantity"
        {...(quantity === null ? {} : { value: quantity })}
        onChange={setQuantity}
        testId="cost-quantity"
      />
      <Input label="Note" name="note" value={note} onChange={setNote} testId="cost-note" />
      {booking.status === 'invalid' && (
        <Alert title="Fix these before booking" variant="warning" testId="cost-problems">
          {booking.problems.join('; ')}
        </Alert>
      )}
      {booking.status === 'failed' && (
        <Alert title="The line was not booked" variant="error" testId="cost-failure">
          {booking.message}
        </Alert>
      )}
      {booking.status === 'booked' && (
        <Text testId="cost-booked">
          Booked {COST_CATEGORY_LABELS[booking.line.category]} for {booking.line.period}:{' '}
          {booking.line.hours === undefined
            ? moneyLabel(booking.line.amount ?? 0, currency)
            : `${booking.line.hours} h`}
          .
        </Text>
      )}
      <LoadingButton
        variant="primary"
        loading={booking.status === 'sending'}
        onClick={() => void submit()}
        testId="book-cost"
      >
        Book cost
      </LoadingButton>
    </Flex>
  );
}
