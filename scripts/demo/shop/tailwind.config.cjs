// As Medusa's Next.js starter configures Tailwind: Medusa's UI preset, and the class names found
// in the page, the storefront components and @medusajs/ui.
const path = require("node:path")

const root = path.resolve(__dirname, "../../..")
module.exports = {
  presets: [require("@medusajs/ui-preset")],
  content: [
    path.join(__dirname, "*.{html,tsx}"),
    path.join(root, "storefront/**/*.tsx"),
    path.join(root, "node_modules/@medusajs/ui/dist/**/*.js"),
  ],
}
