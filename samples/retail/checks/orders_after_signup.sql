-- A custom check (CdpCheck Sql=...): the rows it returns break the rule. No order may be placed before its
-- customer signed up. Presto SQL, as TD runs it; plain SELECT/JOIN/WHERE, so the Local warehouse runs it too.
SELECT
  o.id AS order_id,
  o.cleaned_customer_email,
  o.standardized_ordered_at,
  c.standardized_created_at
FROM retail_stg.shopify_orders o
JOIN retail_stg.shopify_customers c ON c.cleaned_email = o.cleaned_customer_email
WHERE o.standardized_ordered_at < c.standardized_created_at
