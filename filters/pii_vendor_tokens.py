"""Vendor token formats: fixed prefixes and lengths identify a credential without any label around it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from filters.pii_values import DOCUMENTED_EXAMPLES, shannon_entropy

VENDOR_TOKEN = re.compile(
    r"(?:(?<![A-Za-z0-9])|(?<=/bot))(?:"  # Telegram puts its token in the path: api.telegram.org/bot<token>/
    r"(?:AKIA|ASIA)[0-9A-Z]{16}"  # AWS access key id
    r"|https://hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]{6,12}/[A-Z0-9]{6,12}/[A-Za-z0-9]{16,40}"  # webhook
    r"|https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{16,20}/[\w-]{60,80}"  # Discord webhook
    r"|gh[pousr]_[A-Za-z0-9]{36,255}"  # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{22,255}"
    r"|glpat-[A-Za-z0-9_\-]{20,}"  # GitLab personal access token
    r"|xox[abposr]-\d+-[A-Za-z0-9-]{10,}"  # Slack
    r"|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,255}"  # Stripe secret and restricted keys
    r"|sk-ant-api\d\d-[A-Za-z0-9_\-]{20,}"  # Anthropic
    r"|sk-(?:proj-)?[A-Za-z0-9_\-]{32,}"  # OpenAI
    r"|dop_v1_[a-f0-9]{64}"  # DigitalOcean
    r"|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"  # Shopify
    r"|hf_[A-Za-z0-9]{30,}"  # Hugging Face
    r"|SG\.[A-Za-z0-9_\-]{16,32}\.[A-Za-z0-9_\-]{16,64}"  # SendGrid
    r"|\d{8,10}:AA[A-Za-z0-9_\-]{33}"  # Telegram bot token
    r"|AIza[0-9A-Za-z_\-]{35}"  # Google API key
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"  # JWT
    r"|dckr_pat_[A-Za-z0-9_-]{27,}"  # Docker Hub
    r"|hv[sb]\.[A-Za-z0-9_-]{24,}"  # HashiCorp Vault service and batch tokens
    r"|npm_[A-Za-z0-9]{36}"  # npm
    r"|pypi-AgE[A-Za-z0-9_-]{50,}"  # PyPI
    r"|AGE-SECRET-KEY-1[0-9A-Z]{50,70}"  # age
    r"|glsa_[A-Za-z0-9_]{32,}"  # Grafana service account
    r"|lin_api_[A-Za-z0-9]{40}"  # Linear
    r"|ya29\.[0-9A-Za-z_-]{20,}"  # Google OAuth access token
    r"|key-[0-9a-f]{32}"  # Mailgun
    r"|SK[0-9a-f]{32}"  # Twilio API key
    r"|dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9_.-]{40,}"  # Doppler
    r"|AKID[A-Za-z0-9]{32}"  # Tencent Cloud
    r"|LTAI[A-Za-z0-9]{12,20}"  # Alibaba Cloud
    r"|pplx-[A-Za-z0-9]{48}"  # Perplexity
    r"|[0-9a-f]{32}-us\d{1,2}"  # Mailchimp
    r"|whsec_[A-Za-z0-9]{24,}"  # Stripe webhook secret
    r"|[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}"  # Discord bot token
    r"|vk1\.a\.[A-Za-z0-9_-]{50,}"  # VK
    r"|[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,90}"  # Terraform Cloud
    r"|gl(?:dt|rt|ptt|cbt|imt|ft|oas|soat|agent)-[A-Za-z0-9_-]{20,}"  # other GitLab tokens
    r"|dapi[a-f0-9]{32}(?:-\d)?"  # Databricks
    r"|secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,}"  # Notion
    r"|pat[A-Za-z0-9]{14}\.[a-f0-9]{64}"  # Airtable
    r"|sk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}"  # Mapbox secret token (pk.eyJ… is the public one)
    r"|pcsk_[A-Za-z0-9_]{40,}"  # Pinecone
    r"|pat-(?:na|eu)\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # HubSpot
    r"|sl\.[A-Za-z0-9_-]{120,}"  # Dropbox
    r"|AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{100,}"  # Firebase Cloud Messaging server key
    r"|figd_[A-Za-z0-9_-]{38,}"  # Figma
    r"|ATATT3[A-Za-z0-9_\-=]{150,}"  # Atlassian API token
    r"|[A-Za-z0-9_.~-]{3}\dQ~[A-Za-z0-9_.~-]{31,34}"  # Azure AD client secret
    r"|y0_[A-Za-z0-9_-]{55,}"  # Yandex OAuth
    r"|NRAK-[A-Z0-9]{27}"  # New Relic user API key
    r"|EAA[A-Za-z0-9]{80,}"  # Facebook / Meta access token
    r"|ATBB[A-Za-z0-9_=.-]{28,}"  # Bitbucket app password
    r"|tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,}"  # Tailscale
    r"|(?:api|sdk)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # LaunchDarkly
    r"|PMAK-[a-f0-9]{24}-[a-f0-9]{34}"  # Postman
    r"|sntry[su]_[A-Za-z0-9+/=_-]{40,}"  # Sentry
    r"|sbp_[a-f0-9]{40}"  # Supabase
    r"|nfp_[A-Za-z0-9]{36}"  # Netlify
    r"|gsk_[A-Za-z0-9]{48,}"  # Groq
    r"|r8_[A-Za-z0-9]{37}"  # Replicate
    r"|pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64}"  # PlanetScale
    r"|pul-[a-f0-9]{40}"  # Pulumi
    r"|rubygems_[a-f0-9]{48}"  # RubyGems
    r"|xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}"  # Brevo (Sendinblue)
    r"|dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}"  # Dynatrace
    r"|sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}|EAAA[A-Za-z0-9_-]{60}"  # Square
    r"|HRKU-[A-Za-z0-9_-]{30,}"  # Heroku
    r"|CFPAT-[A-Za-z0-9_-]{43}"  # Contentful
    r"|glc_[A-Za-z0-9+/]{32,}={0,2}"  # Grafana Cloud
    r"|FLWSECK(?:_TEST)?-[a-h0-9]{32}-X"  # Flutterwave
    r"|AKCp[A-Za-z0-9]{69}"  # JFrog Artifactory
    r"|bkua_[a-f0-9]{40}"  # Buildkite
    r")(?![A-Za-z0-9])"
)
_TOKEN_PLACEHOLDER = re.compile(
    r"example|sample|dummy|placeholder|xxxx|your|replace|change_?me|insert|todo|fixme", re.IGNORECASE
)


def vendor_token_spans(text: str, min_entropy: float) -> Iterator[tuple[int, int]]:
    """(start, end) of every vendor token that is not masked, a documentation example or a placeholder."""
    for match in VENDOR_TOKEN.finditer(text):
        token = match.group()
        masked = "•" in text[match.end() : match.end() + 1]  # sk_live_•••• shows that a key exists, not the key
        masked = masked or any(example in token for example in DOCUMENTED_EXAMPLES)
        if masked or _TOKEN_PLACEHOLDER.search(token) or shannon_entropy(token) < min_entropy:
            continue  # AKIAIOSFODNN7EXAMPLE, ghp_xxxxxxxx...: documentation placeholders
        yield match.start(), match.end()
