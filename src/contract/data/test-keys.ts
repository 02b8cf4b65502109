/**
 * TEST KEYS of the key-set profile, generated once by scripts/generate-test-keys.ts and published on
 * purpose: the vectors, the scenarios, the conformance CLI's served key set and the tests sign with them.
 * They are NOT secret and must never be trusted by anything real.
 */
import type { Jwk } from '../verifier/key-set.ts';

/** Private TEST keys (JWK), by role. */
export const TEST_PRIVATE_KEYS = {
  "eddsa1": {
    "crv": "Ed25519",
    "d": "dfggTiSLIvLsV8NhM4NaAWRvM9jdT99NBLfA50-mM2M",
    "x": "LYaLPzzd1Sziz0oMgTlHqJYtMn3QGYikVr_NBOq5MzY",
    "kty": "OKP"
  },
  "eddsa2": {
    "crv": "Ed25519",
    "d": "qKy1ttF1bBb2WTtp0nJMBbP1fNccqI43kWmCD1X_wuc",
    "x": "epxJSglXxzkxtQZRhFa3xtRyMphL5q23CqhQR1zEpKQ",
    "kty": "OKP"
  },
  "attacker": {
    "crv": "Ed25519",
    "d": "UE_VI_UNq7yGoDk5JmgPKfTWSwjs0wFJdW1H0Q5nwNA",
    "x": "NGWid9bkJ-bQeuawIwYJyufbVuj6WyM3pvJgdUJOCa0",
    "kty": "OKP"
  },
  "es256": {
    "kty": "EC",
    "x": "pZ4CtymNFRXzzJBr84M20PV-HAO2EWrU0MU2iRPZRF4",
    "y": "sC29bPVfu-NI3GyO4x5pcZwgTgcQi8C1Is-1nDgXW34",
    "crv": "P-256",
    "d": "fsY0VMR30iN_VqGARCJtIx1W_Ginf4hOPx62COPRDbE"
  },
  "es512": {
    "kty": "EC",
    "x": "AdfIE1B1zFyAaBaZkOfEjlWRlXfPJabsQCD-U10l1NILXSDv8EUL1VnmhTd4GT-datwgFMFVSzrrYrv_WrgZih2O",
    "y": "Aa51gviQdjhYeXCzuWmrEMfP3mqIHKs82sPh1N9W-x-wSfKodpdfxH4h0ORfN716XrJzFbqOrQ2kCwaRzK6pk07I",
    "crv": "P-521",
    "d": "AeQUs7b2xUvqS9ThG0e7Qw9MTJIbxKdOM5Sg993-mlmRFv-g-VK6-Lc5OPTLQYpfG9w4_SJPQkSX37QtblpQv6rB"
  },
  "rsa2048": {
    "kty": "RSA",
    "n": "snp07MwQJvZ4CIONOkfKlfa-mNRc7WWeuOY1rL6uJ6MmpAJqsBcB9w__qSXxcsBF8tF9JVnkJ0da-2khmvMA1q-gpg7f17AmVZf9s0OvyGY5yyPF2RA-LLTBDfILSRLJ7F-VLB7oBrLuoOSHK2TChLHLjF42JHTlz_QlFKF3rk_4i3cphIGJa9qdetzes1cVsMO2g0xFY2LrrXvAFj6LKvMr_3jEqBR0y0KzZ7k2wDMSLH9R78zb2XKZxDmBFO_buwmtcvNtAVKa_PG1B1vozefH7eTYSUF-pIKCRg7q3ITZC6sBTEuVZ8PyCgmuhoI5sWgATJxGu42rnJLU52GCFw",
    "e": "AQAB",
    "d": "GdI4n1eokJKA7C5oHMHtL8QKcB7tMNVOYM7BfjP6CzcB7KGC4OX7PUy9vrGEHIdvt0ESm3hFV19t7MiZeYrlmKnBErU9Mj3EVgbOyAQnZtVPUDHlOlGsxRgDhCp78n764q0zbjYseGejuXhGjAMgV0VHvw-UQrL82pimUrVHlNq0JM4RmayzHOkXw4hyV9t-loHZKBVRbFbhhv9RBKcirc0tegwTSPL9oc1xHApUrOBPKL8-g_oYRDBHb9QEfmz74t-DZurzGABjW9Bw1bNsN1wXgoUH-rMN6L6hYULmJroNYB4mGy-k1Z-OrCKVxVmGyH6k86qy5wzdUosHepww7Q",
    "p": "3chO01TB2cm9p6NhAcvTKRyLFMo4OT9D7dTGuhhL589yevMI7HKu_JoaLvhtfyldkCLRz3gy1R5LYhNjjDtkUAuT-mOjxCOBWer7PZc1p5hFJGF7uupXlL9Y5wiJ8HfK3Efanu2vpA_wNl2SDeGU7xR1QW7hKK0_a6aLK3xpSPU",
    "q": "zgPGtRknvHEW052r2FwzMh4H2hZSxKQXtIgMixbMD0qax496z6Kr1ER2E7lUy_tow8SFH8bDNUjqSe0kMY-J8bjYTzBZgDS0JupOJRWclZAvT-ZOSlHG__IwXdT0YdqW25BZ-E4CzGnWxq86U6Dvt8X2jdNpsns60DX00LLyZ1s",
    "dp": "yJ5Qh6RM8ogmcgU9VBWffrneKcE_GLHc7b-iwGYIC7pAsW01LkYTelafxstcqUGu7BpDNmxhdx0_TYmCbDCxbiL7Ce2mD1-au87u0-j7VQ5NxToVZaBj9x8b-Wlk9cw3CgpJfag-UKdGQLdlzf637YjRBI6bSGNnUibGD2EsEB0",
    "dq": "cbwJ9q8FjfZNKNTyK0dziCamJROP7Dm_UI6PhjY2v_ZrDuM6ZOkkvdJx8Z-undKVWwbii9F6sa8okVmXUrkw6b8nxEgoESyHjLhsHfMZeESaqhy2ejc9is3VP-gyZtd704mU8g13ZAzGYvgYVlUSIr3qyQ-_WabIqGwxVQqF4uM",
    "qi": "KDxbiaNxUrx8u3S7HSXmEHt9pa1mzoAr-mxZ1trNHxh-rfe0XR-WbbMoY1NZrNkYHsh94WEjfU8kuWM_VRGOJ5Nef_ek7J4HW59f47erF7zxUzBwijr8nHsBHupYk-GxV1OaRTvHFyXSh4-Bcmf5x_lgVHlW0nQAo2OIs7azdJ0"
  },
  "rsa1024": {
    "kty": "RSA",
    "n": "xevaxHL08cR-MPg6uhM42_aCLe_YYN9JFRQ2mlW2PYTmayF6MNkZBnlKgp1Z5gjpdhh7QQ2m-p-nf8Svw8Nh0_JpkFQUES4_YDI6b1pcPNpeW4ppl73pAjzNMAnEiaAMeM5iOW_1WW1U4HeN_pnHAC20Q9zqEkPnJ5tYeCmJSPk",
    "e": "AQAB",
    "d": "P6AOd9CsxXvxRTTHTEIZqTyZpMLRwHKHP-t7kimzqBstJ4tfiIyB6v7a4RpMaBK9WmWMWeFVqIPiiMRl7HzG2Zbzks0gsK-gkxK6wMc2G0hXEVNGNlp8f9WC6SpXv4-To6KFdNsohO0jptavv31roJbsfXZw7V0UmKLI-RjMlAE",
    "p": "5ryWMcaL1rFO6Jlf7uYm79GmgWCgBUXjrvJaLdaJYYKwTigyxuRHIK76D4fqOp_y_ZoNTUnBiK5maG2fyPNGoQ",
    "q": "25d4-7eNy5tzFp7teE5xT8OonNjUVCMRHWYzW-Tv-FB88XZBLDvLOC2ziaBrzAmSn_oUsllzzKWbopdLpUrbWQ",
    "dp": "b9I7c9oGEUESvdT-0heGDTlsWU0LoCKTykg3ffl30OL2MJp4qT0eX2-NTpOO52R27YKIKcmx2lyy0q81_bwwoQ",
    "dq": "c84kLYuVqeTnAuz5i1LDCy_CQkVPZLfBlOGLAFFyBGBeI_EbWbqG56-iWVhSwR3jR57ZP11RZoGH3G0xpZAesQ",
    "qi": "TAfLp8w9OZkU9tfLYoWz-8bPDcoEZ2hicFZyuGVM3RxEoNEt3aybkkNCbrKjkbQe9CeAb3CuPVYnAZZhWuBY5g"
  }
} satisfies Record<string, Jwk>;

