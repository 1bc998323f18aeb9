import { Module } from "@medusajs/framework/utils"
import validateOptionsLoader from "./loaders/validate-options"
import XcoverModuleService from "./service"

export const XCOVER_MODULE = "xcover"

export default Module(XCOVER_MODULE, {
  service: XcoverModuleService,
  loaders: [validateOptionsLoader],
})

export type { XcoverPluginOptions } from "./options"
export { default as XcoverModuleService } from "./service"
