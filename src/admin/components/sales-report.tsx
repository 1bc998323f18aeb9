import { Container, Heading, Input, Label, Table, Text } from "@medusajs/ui"
import { useState } from "react"
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts"
import { formatAmounts, formatMoney } from "../lib/money"
import {
  RANGE_PRESETS,
  chartPoints,
  dayLabel,
  formatRate,
  rangeQuery,
  reportCurrencies,
  type RangeChoice,
} from "../lib/sales-chart"
import {
  useXcoverSalesReport,
  type SalesReport as Report,
} from "../lib/xcover-api"
import { Figure } from "./log-figures"
import { ToggleButtons } from "./toggle-buttons"

/** Last 7/30/90 days (UTC, today included), or a custom from..to. */
function RangePicker({
  choice,
  onChange,
}: {
  choice: RangeChoice
  onChange: (choice: RangeChoice) => void
}) {
  const custom = "from" in choice
  return (
    <div className="flex flex-wrap items-end gap-4">
      <ToggleButtons
        label="Sales range"
        options={RANGE_PRESETS}
        pressed={(days) => !custom && choice.preset === days}
        onPress={(days) => onChange({ preset: days })}
      >
        {(days) => `Last ${days} days`}
      </ToggleButtons>
      <div className="flex flex-col gap-y-1">
        <Label htmlFor="xcover-sales-from">From (UTC day)</Label>
        <Input
          id="xcover-sales-from"
          type="date"
          value={custom ? choice.from : ""}
          onChange={(e) =>
            onChange({ from: e.target.value, to: custom ? choice.to : "" })
          }
        />
      </div>
      <div className="flex flex-col gap-y-1">
        <Label htmlFor="xcover-sales-to">to</Label>
        <Input
          id="xcover-sales-to"
          type="date"
          value={custom ? choice.to : ""}
          onChange={(e) =>
            onChange({ from: custom ? choice.from : "", to: e.target.value })
          }
        />
      </div>
    </div>
  )
}

/** Premium booked and refunds (bars, in the chosen currency) and the attach rate (line, %) per day. */
function SalesChart({
  report,
  currency,
}: {
  report: Report
  currency: string | null
}) {
  const points = chartPoints(report.days, currency)
  return (
    // A fixed height inline: ResponsiveContainer measures its parent, which must not depend on a utility class being generated.
    <div
      style={{ width: "100%", height: 288 }}
      data-testid="xcover-sales-chart"
      data-currency={currency ?? ""}
      data-days={points.length}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart
          data={points}
          margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
        >
          <CartesianGrid stroke="var(--border-base)" vertical={false} />
          <XAxis
            dataKey="date"
            tickFormatter={(d: string) => dayLabel(d)}
            tick={{ fontSize: 12 }}
            minTickGap={16}
          />
          <YAxis
            yAxisId="money"
            tick={{ fontSize: 12 }}
            allowDecimals
            width={56}
          />
          <YAxis
            yAxisId="rate"
            orientation="right"
            domain={[0, 100]}
            unit=" %"
            tick={{ fontSize: 12 }}
            width={56}
          />
          <Tooltip
            labelFormatter={(d) => dayLabel(String(d))}
            formatter={(value, name) =>
              name === "Attach rate"
                ? `${value} %`
                : formatMoney(Number(value), currency)
            }
          />
          <Legend />
          <Bar
            yAxisId="money"
            dataKey="premium"
            name={`Premium booked${currency ? ` (${currency})` : ""}`}
            fill="var(--tag-blue-icon)"
            isAnimationActive={false}
          />
          <Bar
            yAxisId="money"
            dataKey="refunds"
            name="Refunds"
            fill="var(--tag-orange-icon)"
            isAnimationActive={false}
          />
          <Line
            yAxisId="rate"
            dataKey="attach_rate_pct"
            name="Attach rate"
            stroke="var(--tag-green-icon)"
            strokeWidth={2}
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  )
}

/** Per plan: how often it was taken, its premium and its refunds over the range. */
function PlanTable({ report }: { report: Report }) {
  const taken = report.totals.taken
  if (!report.plans.length) {
    return (
      <Text
        size="small"
        className="text-ui-fg-subtle"
        data-testid="xcover-plan-table"
      >
        No plan was taken, booked or refunded in these days.
      </Text>
    )
  }
  return (
    <Table data-testid="xcover-plan-table">
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>Plan</Table.HeaderCell>
          <Table.HeaderCell>Taken</Table.HeaderCell>
          <Table.HeaderCell>Share of taken</Table.HeaderCell>
          <Table.HeaderCell>Premium booked</Table.HeaderCell>
          <Table.HeaderCell>Refunds</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {report.plans.map((p) => (
          <Table.Row key={p.plan} data-plan={p.plan}>
            <Table.Cell>{p.plan}</Table.Cell>
            <Table.Cell data-column="taken">{p.taken}</Table.Cell>
            <Table.Cell data-column="share">
              {formatRate(taken ? p.taken / taken : null)}
            </Table.Cell>
            <Table.Cell data-column="premium_booked">
              {formatAmounts(p.premium_booked)}
            </Table.Cell>
            <Table.Cell data-column="refunds">
              {formatAmounts(p.refunds)}
            </Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  )
}

/**
 * What sells: attach rate (offers taken / shown), premium booked and refunds per UTC day over a
 * chosen range, as a chart, and per plan. One request (and one SQL statement) per range.
 */
export function SalesReport() {
  const [choice, setChoice] = useState<RangeChoice>({ preset: 30 })
  const [chosenCurrency, setCurrency] = useState<string | null>(null)
  const query = rangeQuery(choice)
  const range = "problem" in query ? null : query
  const { data: report, error, isFetching } = useXcoverSalesReport(range)
  const currencies = report ? reportCurrencies(report) : []
  const currency =
    chosenCurrency && currencies.includes(chosenCurrency)
      ? chosenCurrency
      : (currencies[0] ?? null)

  return (
    <Container className="flex flex-col gap-y-4" data-testid="xcover-sales">
      <div>
        <Heading level="h2">What sells</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Offers are counted on the day they were shown, premium on the day the
          order was placed, refunds on the day the policy was cancelled. Days
          are UTC days.
        </Text>
      </div>
      <RangePicker choice={choice} onChange={setChoice} />
      {"problem" in query && "from" in choice && choice.from && choice.to && (
        <Text
          size="small"
          className="text-ui-fg-error"
          data-testid="xcover-sales-range-problem"
        >
          {query.problem}
        </Text>
      )}
      {error && <Text>Could not load the sales figures: {error.message}</Text>}
      {report && (
        <div
          className="flex flex-col gap-y-4"
          data-testid="xcover-sales-report"
          data-from={report.from}
          data-to={report.to}
          aria-busy={isFetching}
        >
          <Text
            size="small"
            className="text-ui-fg-subtle"
            data-testid="xcover-sales-range"
          >
            {report.from} to {report.to} (UTC)
          </Text>
          <div
            className="grid grid-cols-2 gap-4 md:grid-cols-5"
            data-testid="xcover-sales-totals"
          >
            <Figure id="sales_shown" label="Offers shown">
              {report.totals.shown}
            </Figure>
            <Figure id="sales_taken" label="Offers taken">
              {report.totals.taken}
            </Figure>
            <Figure id="sales_attach_rate" label="Attach rate (taken / shown)">
              {formatRate(report.totals.attach_rate)}
            </Figure>
            <Figure
              id="sales_premium_booked"
              label="Premium booked (incl. tax)"
            >
              {formatAmounts(report.totals.premium_booked)}
            </Figure>
            <Figure id="sales_refunds" label="Refunds">
              {formatAmounts(report.totals.refunds)}
            </Figure>
          </div>
          {currencies.length > 1 && (
            <ToggleButtons
              label="Chart currency"
              options={currencies}
              pressed={(c) => c === currency}
              onPress={setCurrency}
            >
              {(c) => c}
            </ToggleButtons>
          )}
          <SalesChart report={report} currency={currency} />
          <PlanTable report={report} />
        </div>
      )}
    </Container>
  )
}
