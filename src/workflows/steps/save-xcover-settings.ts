import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"
import type { StoredSettings } from "../../modules/xcover/settings/resolve-settings"
import type { SaveSettingsInput } from "../../modules/xcover/settings/settings-store"

/** Saves the admin's overrides; compensation puts the previous row back (secret still sealed). */
export const saveXcoverSettingsStep = createStep(
  "save-xcover-settings",
  async (input: SaveSettingsInput, { container }) => {
    const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
    const { previous } = await xcover.saveAdminSettings(input)
    return new StepResponse(undefined, { previous })
  },
  async (
    undo: { previous: StoredSettings | null } | undefined,
    { container }
  ) => {
    if (!undo) {
      return
    }
    await container
      .resolve<XcoverModuleService>(XCOVER_MODULE)
      .restoreAdminSettings(undo.previous)
  }
)
