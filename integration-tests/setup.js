// Each test file boots Medusa anew; MikroORM's global metadata must not leak between them.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")
MetadataStorage.clear()
