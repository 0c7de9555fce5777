import type { ApiResult, CostCategory, CostLine, PostCostsResponse } from '@abm-pilot/hubspot-abm-client';
import {
  COST_CATEGORIES,
  CostCategorySchema,
  fill,
  PostCostsBodySchema,
  useI18n,
} from '@abm-pilot/hubspot-abm-client';
import { Alert, Flex, Input, LoadingButton, NumberInput, Select, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';

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
  const { messages, vocabulary, words, format } = useI18n();
  const text = messages.settings.costs;
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
        problems: parsed.error.issues.map((issue) =>
          fill(messages.failure.issue, {
            path: issue.path.slice(2).join('.') || text.line,
            message: issue.message,
          }),
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
        : { status: 'failed', message: words.failure(result.failure) },
    );
  };
  return (
    <Flex direction="column" gap="sm" testId="costs">
      <Input label={text.month} name="period" value={month} onChange={setMonth} testId="cost-month" />
      <Select
        label={text.category}
        name="category"
        value={category}
        options={COST_CATEGORIES.map((value) => ({ label: vocabulary.costCategory[value], value }))}
        onChange={(value) => {
          const parsed = CostCategorySchema.safeParse(value);
          if (parsed.success) setCategory(parsed.data);
        }}
        testId="cost-category"
      />
      <NumberInput
        label={inHours ? text.hours : fill(text.amount, { currency })}
        name="quantity"
        {...(quantity === null ? {} : { value: quantity })}
        onChange={setQuantity}
        testId="cost-quantity"
      />
      <Input label={text.note} name="note" value={note} onChange={setNote} testId="cost-note" />
      {booking.status === 'invalid' && (
        <Alert title={text.fixFirst} variant="warning" testId="cost-problems">
          {booking.problems.join('; ')}
        </Alert>
      )}
      {booking.status === 'failed' && (
        <Alert title={text.notBooked} variant="error" testId="cost-failure">
          {booking.message}
        </Alert>
      )}
      {booking.status === 'booked' && (
        <Text testId="cost-booked">
          {fill(text.booked, {
            category: vocabulary.costCategory[booking.line.category],
            period: booking.line.period,
            quantity:
              booking.line.hours === undefined
                ? format.money(booking.line.amount ?? 0, currency)
                : fill(text.bookedHours, { hours: booking.line.hours }),
          })}
        </Text>
      )}
      <LoadingButton
        variant="primary"
        loading={booking.status === 'sending'}
        onClick={() => void submit()}
        testId="book-cost"
      >
        {text.book}
      </LoadingButton>
    </Flex>
  );
}
