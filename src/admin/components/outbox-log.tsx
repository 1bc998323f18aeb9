import { Container, Heading, Table, Text } from "@medusajs/ui"
import { useState, type ReactNode } from "react"
import { ToggleButtons } from "./toggle-buttons"

/** Rows a log's page shows. */
export const PAGE_SIZE = 20

/** One column of a log: its header, its cell of a row, and the cell's class and tooltip if any. */
export type LogColumn<Row> = {
  header: string
  cell: (row: Row) => ReactNode
  className?: string
  title?: (row: Row) => string | undefined
}

/** The outbox's attempts at a row and the last one's error (in full on hover): both logs show them. */
export function attemptColumns<
  Row extends { attempts: number; last_error: string | null },
>(): LogColumn<Row>[] {
  return [
    { header: "Attempts", cell: (r) => r.attempts },
    {
      header: "Last error",
      className: "max-w-xs truncate",
      title: (r) => r.last_error ?? undefined,
      cell: (r) => r.last_error ?? "–",
    },
  ]
}

/** A log's status filter and page, as its query wants them. */
export type LogFilter<Status extends string> = {
  statuses: Status[]
  offset: number
  limit: number
  toggle: (status: Status) => void
  setOffset: (offset: number) => void
}

/**
 * The status filter and page of a log: pressing a status adds it to the filter (`multiple`) or
 * makes it the only one, and pressing it again takes it out; either goes back to the first page,
 * and so does a change of `resetKey` (the page's other filters, say).
 */
export function useLogFilter<Status extends string>({
  multiple,
  resetKey = "",
}: {
  multiple: boolean
  resetKey?: string
}): LogFilter<Status> {
  const [statuses, setStatuses] = useState<Status[]>([])
  const [offset, setOffset] = useState(0)
  // The other filters changed: back to the first page (a render-time reset, as React suggests over an effect).
  const [key, setKey] = useState(resetKey)
  if (key !== resetKey) {
    setKey(resetKey)
    setOffset(0)
  }
  const toggle = (s: Status) => {
    setOffset(0)
    setStatuses(
      statuses.includes(s)
        ? statuses.filter((x) => x !== s)
        : multiple
          ? [...statuses, s]
          : [s]
    )
  }
  return { statuses, offset, limit: PAGE_SIZE, toggle, setOffset }
}

/**
 * One of the outbox's logs (offers to opt out, bookings of taken ones): a heading, the status
 * filter and any buttons acting on it, a page of rows newest first, and the pager.
 */
export function OutboxLog<Row extends { id: string }, Status extends string>({
  testIds,
  heading,
  description,
  statuses,
  filterLabel,
  filter,
  actions,
  data,
  isLoading,
  error,
  errorText,
  columns,
  rowData,
  emptyText,
}: {
  /** Test ids of the section and of its table. */
  testIds: { section: string; table: string }
  heading: string
  description: ReactNode
  statuses: readonly Status[]
  filterLabel: string
  filter: LogFilter<Status>
  /** Buttons beside the status filter. */
  actions?: ReactNode
  data: { rows: Row[]; count: number } | undefined
  isLoading: boolean
  error: Error | null
  /** What could not be loaded, before the error's message. */
  errorText: string
  columns: LogColumn<Row>[]
  /** `data-*` attributes of a row. */
  rowData: (row: Row) => Record<`data-${string}`, string>
  emptyText: string
}) {
  const { offset, setOffset } = filter
  const count = data?.count ?? 0
  return (
    <Container
      className="flex flex-col gap-y-4 p-0"
      data-testid={testIds.section}
    >
      <div className="px-6 pt-4">
        <Heading level="h2">{heading}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {description}
        </Text>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2 px-6">
        <ToggleButtons
          label={filterLabel}
          options={statuses}
          pressed={(s) => filter.statuses.includes(s)}
          onPress={filter.toggle}
        >
          {(s) => s.replace("_", " ")}
        </ToggleButtons>
        {actions}
      </div>
      {error && (
        <Text className="px-6">
          {errorText}: {error.message}
        </Text>
      )}
      <Table data-testid={testIds.table}>
        <Table.Header>
          <Table.Row>
            {columns.map((c, i) => (
              <Table.HeaderCell key={i}>{c.header}</Table.HeaderCell>
            ))}
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {(data?.rows ?? []).map((row) => (
            <Table.Row key={row.id} {...rowData(row)}>
              {columns.map((c, i) => (
                <Table.Cell
                  key={i}
                  className={c.className}
                  title={c.title?.(row)}
                >
                  {c.cell(row)}
                </Table.Cell>
              ))}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {!isLoading && count === 0 && (
        <Text className="px-6 pb-4">{emptyText}</Text>
      )}
      <Table.Pagination
        count={count}
        pageSize={PAGE_SIZE}
        pageIndex={Math.floor(offset / PAGE_SIZE)}
        pageCount={Math.max(1, Math.ceil(count / PAGE_SIZE))}
        canPreviousPage={offset > 0}
        canNextPage={offset + PAGE_SIZE < count}
        previousPage={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
        nextPage={() => setOffset(offset + PAGE_SIZE)}
      />
    </Container>
  )
}
