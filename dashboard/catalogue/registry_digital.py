"""Digital use recorded in the cooperative and linkage-model registries."""

MESSAGES: dict[str, tuple[str, str]] = {
    "field.ecommerce": ("Bán hàng qua thương mại điện tử", "Sells through e-commerce"),
}
