import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ShieldCheck } from "@medusajs/icons"
import {
  Alert,
  Badge,
  Button,
  Container,
  Heading,
  Input,
  Label,
  Select,
  Switch,
  Text,
  toast,
  Toaster,
} from "@medusajs/ui"
import { useEffect, useState, type ReactNode } from "react"
import { DeliveryHealthNotice } from "../../../components/delivery-health"
import {
  useSaveXcoverSettings,
  useTestXcoverConnection,
  useXcoverSettings,
  type ConnectionTest,
  type AdminEnvironment,
  type SaveSettings,
  type SettingSource,
  type SignatureAlgorithm,
  type XcoverSettings,
} from "../../../lib/xcover-api"

const SOURCE_LABEL: Record<SettingSource, string> = {
  admin: "Saved here",
  plugin_option: "Plugin option",
  default: "Default",
  unset: "Not set",
}

// No custom URL here: only the baseUrl plugin option may send calls to another host.
const ENVIRONMENT_LABEL: Record<AdminEnvironment, string> = {
  production: "Production (api.xcover.com)",
  sandbox: "Sandbox (api.xcover-staging.com)",
}

const ALGORITHM_LABEL: Record<SignatureAlgorithm, string> = {
  "hmac-sha512": "hmac-sha512 (XCover's default)",
  "hmac-sha384": "hmac-sha384",
  "hmac-sha256": "hmac-sha256",
}

const RESULT_LOOK: Record<
  ConnectionTest["result"],
  "success" | "error" | "warning"
> = {
  accepted: "success",
  rejected: "error",
  unreachable: "error",
  unexpected: "warning",
  not_configured: "warning",
}

type Form = {
  partner_code: string
  api_key: string
  api_secret: string
  /** Null while the base URL comes from the baseUrl plugin option (a custom URL). */
  environment: AdminEnvironment | null
  signature_algorithm: SignatureAlgorithm
  enabled: boolean
}

function formOf(s: XcoverSettings): Form {
  return {
    partner_code: s.partner_code.value ?? "",
    api_key: s.api_key.value ?? "",
    api_secret: "",
    environment: s.environment.value === "custom" ? null : s.environment.value,
    signature_algorithm: s.signature_algorithm.value,
    enabled: s.enabled.value,
  }
}

/** Only what the owner changed becomes an admin override; an emptied text field removes it. */
function changes(initial: Form, form: Form): SaveSettings {
  const body: SaveSettings = {}
  const text = (v: string) => v.trim() || null
  if (form.partner_code !== initial.partner_code)
    body.partner_code = text(form.partner_code)
  if (form.api_key !== initial.api_key) body.api_key = text(form.api_key)
  if (form.api_secret) body.api_secret = form.api_secret
  if (form.environment !== initial.environment)
    body.environment = form.environment
  if (form.signature_algorithm !== initial.signature_algorithm)
    body.signature_algorithm = form.signature_algorithm
  if (form.enabled !== initial.enabled) body.enabled = form.enabled
  return body
}

function Field(props: {
  id: string
  label: string
  source: SettingSource
  onReset?: () => void
  hint?: string
  children: ReactNode
}) {
  return (
    <div className="flex flex-col gap-y-2">
      <div className="flex items-center gap-x-2">
        <Label htmlFor={props.id} weight="plus">
          {props.label}
        </Label>
        <Badge
          size="2xsmall"
          color={props.source === "admin" ? "blue" : "grey"}
          data-testid={`source-${props.id}`}
        >
          {SOURCE_LABEL[props.source]}
        </Badge>
        {props.source === "admin" && props.onReset && (
          <Button
            size="small"
            variant="transparent"
            type="button"
            onClick={props.onReset}
          >
            Use plugin option
          </Button>
        )}
      </div>
      {props.children}
      {props.hint && (
        <Text size="small" className="text-ui-fg-subtle">
          {props.hint}
        </Text>
      )}
    </div>
  )
}

/** A select over a fixed set of values, each with its label; `placeholder` shows while none is chosen. */
function Choice<T extends string>(props: {
  id: string
  label: string
  value: T | null
  labels: Record<T, string>
  onChange: (v: T) => void
  placeholder?: string
}) {
  return (
    <Select
      value={props.value ?? ""}
      onValueChange={(v) => props.onChange(v as T)}
    >
      <Select.Trigger id={props.id} aria-label={props.label}>
        <Select.Value placeholder={props.placeholder} />
      </Select.Trigger>
      <Select.Content>
        {(Object.keys(props.labels) as T[]).map((v) => (
          <Select.Item key={v} value={v}>
            {props.labels[v]}
          </Select.Item>
        ))}
      </Select.Content>
    </Select>
  )
}

const XcoverSettingsPage = () => {
  const { data, isLoading, error } = useXcoverSettings()
  const save = useSaveXcoverSettings()
  const test = useTestXcoverConnection()
  const [form, setForm] = useState<Form | null>(null)
  const settings = data?.settings

  useEffect(() => {
    if (settings) {
      setForm(formOf(settings))
    }
  }, [settings])

  if (isLoading || !settings || !form) {
    return (
      <Container>
        {error ? (
          <Text>Could not load the XCover settings: {error.message}</Text>
        ) : (
          <Text>Loading…</Text>
        )}
      </Container>
    )
  }
  const initial = formOf(settings)
  const set = <K extends keyof Form>(key: K, value: Form[K]) =>
    setForm({ ...form, [key]: value })
  const submit = (body: SaveSettings) =>
    save.mutate(body, {
      onSuccess: () =>
        toast.success(
          "XCover settings saved. They apply to the next XCover call."
        ),
      onError: (e) => toast.error(e.message),
    })
  const reset = (field: keyof SaveSettings) => () => submit({ [field]: null })

  return (
    <div className="flex flex-col gap-y-3">
      <Toaster />
      <Container className="divide-y p-0">
        <div className="flex items-center justify-between px-6 py-4">
          <div>
            <Heading level="h1">XCover</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Credentials for opting out declined insurance offers. Values saved
              here override the plugin options in medusa-config.ts.
            </Text>
          </div>
          <Badge
            color={settings.enabled.value ? "green" : "grey"}
            data-testid="xcover-enabled-badge"
          >
            {settings.enabled.value ? "Enabled" : "Disabled"}
          </Badge>
        </div>
        {data?.delivery &&
          (data.delivery.circuit.open ||
            data.delivery.clock_skew_ms !== null) && (
            <div className="flex flex-col gap-y-2 px-6 py-4">
              <DeliveryHealthNotice delivery={data?.delivery} />
            </div>
          )}
        {settings.problems.length > 0 && (
          <div className="px-6 py-4" data-testid="xcover-problems">
            {settings.problems.map((p) => (
              <Alert key={p} variant="warning">
                {p}
              </Alert>
            ))}
          </div>
        )}
        <form
          className="flex flex-col gap-y-4 px-6 py-4"
          onSubmit={(e) => {
            e.preventDefault()
            const body = changes(initial, form)
            if (Object.keys(body).length) {
              submit(body)
            } else {
              toast.info("Nothing changed.")
            }
          }}
        >
          <Field
            id="partner_code"
            label="Partner code"
            source={settings.partner_code.source}
            onReset={reset("partner_code")}
          >
            <Input
              id="partner_code"
              value={form.partner_code}
              onChange={(e) => set("partner_code", e.target.value)}
            />
          </Field>
          <Field
            id="api_key"
            label="API key"
            source={settings.api_key.source}
            onReset={reset("api_key")}
          >
            <Input
              id="api_key"
              value={form.api_key}
              onChange={(e) => set("api_key", e.target.value)}
              autoComplete="off"
            />
          </Field>
          <Field
            id="api_secret"
            label="API secret"
            source={settings.api_secret_set.source}
            onReset={reset("api_secret")}
            hint={
              settings.encryption_key_set
                ? "Write-only: it is stored encrypted and never shown. Leave empty to keep the current one."
                : "Saving a secret here needs the encryptionKey plugin option (XCOVER_ENCRYPTION_KEY)."
            }
          >
            <Input
              id="api_secret"
              type="password"
              autoComplete="new-password"
              placeholder={
                settings.api_secret_set.value ? "•••••••• (set)" : "Not set"
              }
              value={form.api_secret}
              onChange={(e) => set("api_secret", e.target.value)}
            />
          </Field>
          <Field
            id="environment"
            label="Environment"
            source={settings.environment.source}
            onReset={reset("environment")}
            hint={
              settings.environment.value === "custom"
                ? `Calls go to ${settings.base_url.value}, set by the baseUrl plugin option. A custom base URL can only be set there.`
                : `Calls go to ${settings.base_url.value}.`
            }
          >
            <Choice
              id="environment"
              label="Environment"
              value={form.environment}
              labels={ENVIRONMENT_LABEL}
              placeholder="Custom base URL (plugin option)"
              onChange={(v) => set("environment", v)}
            />
          </Field>
          <Field
            id="signature_algorithm"
            label="Signature algorithm"
            source={settings.signature_algorithm.source}
            onReset={reset("signature_algorithm")}
          >
            <Choice
              id="signature_algorithm"
              label="Signature algorithm"
              value={form.signature_algorithm}
              labels={ALGORITHM_LABEL}
              onChange={(v) => set("signature_algorithm", v)}
            />
          </Field>
          <Field
            id="enabled"
            label="Send opt-outs to XCover"
            source={settings.enabled.source}
            onReset={reset("enabled")}
            hint="While off, declined offers are kept as pending and sent once this is on again."
          >
            <Switch
              id="enabled"
              checked={form.enabled}
              onCheckedChange={(v) => set("enabled", v)}
            />
          </Field>
          <div className="flex items-center justify-end gap-x-2">
            <Button
              type="button"
              variant="secondary"
              isLoading={test.isPending}
              onClick={() => test.mutate()}
            >
              Test connection
            </Button>
            <Button type="submit" isLoading={save.isPending}>
              Save
            </Button>
          </div>
        </form>
        {(test.data || test.error) && (
          <div
            className="px-6 py-4"
            data-testid="xcover-connection-result"
            data-result={test.data?.connection.result ?? "error"}
          >
            {test.data ? (
              <Alert variant={RESULT_LOOK[test.data.connection.result]}>
                {test.data.connection.message}
              </Alert>
            ) : (
              <Alert variant="error">
                The connection test could not run: {test.error?.message}
              </Alert>
            )}
          </div>
        )}
      </Container>
    </div>
  )
}

export const config = defineRouteConfig({ label: "XCover", icon: ShieldCheck })

export default XcoverSettingsPage
