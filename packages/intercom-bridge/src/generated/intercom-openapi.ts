/**
 * Types of Intercom's REST API, generated, do not edit.
 *
 * Source: intercom-openapi-2.16-contacts-conversations-subset.json (OpenAPI 3.0.1, API 2.16)
 * Spec sha256: 363ec725ba8b398ef6926dcd92505674668f8725207c77b55c0094e34f66fbbf
 * Dropped (required-only branches, see the script): #/components/schemas/create_contact_request/anyOf
 * Dropped (required-only branches, see the script): #/components/schemas/create_data_event_request/anyOf
 * Regenerate with `npm run generate:intercom-types --workspace intercom-bridge`
 * (packages/intercom-bridge/scripts/generate-intercom-types.ts).
 */

export interface paths {
    "/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create contact
         * @description You can create a new contact (ie. user or lead).
         */
        post: operations["CreateContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search contacts
         * @description You can search for multiple contacts by the value of their attributes in order to fetch exactly who you want.
         *
         *     To search for contacts, you need to send a `POST` request to `https://api.intercom.io/contacts/search`.
         *
         *     This will accept a query object in the body which will define your filters in order to search for contacts.
         *
         *     {% admonition type="warning" name="Optimizing search queries" %}
         *       Search queries can be complex, so optimizing them can help the performance of your search.
         *       Use the `AND` and `OR` operators to combine multiple filters to get the exact results you need and utilize
         *       pagination to limit the number of results returned. The default is `50` results per page.
         *       See the [pagination section](https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/#example-search-conversations-request) for more details on how to use the `starting_after` param.
         *     {% /admonition %}
         *     ### Merged Contacts
         *
         *     Contacts that have been merged (via POST /contacts/merge) are excluded from search results. If a contact was recently merged into another, it will no longer appear in queries filtered by `updated_at` or any other field. Only the target contact from the merge remains searchable.
         *
         *     ### Contact Creation Delay
         *
         *     If a contact has recently been created, there is a possibility that it will not yet be available when searching. This means that it may not appear in the response. This delay can take a few minutes. If you need to be instantly notified it is recommended to use webhooks and iterate to see if they match your search filters.
         *
         *     ### Nesting & Limitations
         *
         *     You can nest these filters in order to get even more granular insights that pinpoint exactly what you need. Example: (1 OR 2) AND (3 OR 4).
         *     There are some limitations to the amount of multiple's there can be:
         *     * There's a limit of max 2 nested filters
         *     * There's a limit of max 15 filters for each AND or OR group
         *
         *     ### Searching for Timestamp Fields
         *
         *     Timestamp fields (`created_at`, `updated_at` etc.) and Date custom attributes are matched by calendar day. Sub-day precision (hour, minute, second) is not supported.
         *
         *     The day boundary uses **your workspace's timezone**, so the same query can return different results on two workspaces in different timezones.
         *
         *     Because the value is truncated to a day:
         *
         *     * `=` matches the whole day.
         *     * `>` matches from the start of the *next* day, not from the instant you passed.
         *     * `<` matches everything before the start of that day.
         *
         *     The `!=`, `>=`, `<=`, `IN` and `NIN` operators are not supported on Date fields and return an error.
         *
         *     **Example**, on a workspace set to UTC. Searching for `created_at` greater than `1577869200` (January 1st, 2020 9:00 AM UTC) truncates that value to `1577836800` (January 1st, 2020 12:00 AM UTC). Because `>` starts at the next day, the results begin from January 2nd, 2020 12:00 AM UTC - not from 9:00 AM on January 1st. On a workspace in another timezone, the boundaries fall on that timezone's midnight instead.
         *
         *     To get contacts created on January 1st, 2020, search for `created_at` equal to `1577836800`.
         *
         *     Only search queries behave this way. Responses still carry the full UNIX timestamp, and sorting uses the full value.
         *
         *     ### Accepted Fields
         *
         *     Most key listed as part of the Contacts Model are searchable, whether writeable or not. The value you search for has to match the accepted type, otherwise the query will fail (ie. as `created_at` accepts a date, the `value` cannot be a string such as `"foorbar"`).
         *
         *     | Field                              | Type                           |
         *     | ---------------------------------- | ------------------------------ |
         *     | id                                 | String                         |
         *     | role                               | String<br>Accepts user or lead |
         *     | name                               | String                         |
         *     | avatar                             | String                         |
         *     | owner_id                           | String                         |
         *     | email                              | String                         |
         *     | email_domain                       | String                         |
         *     | phone                              | String                         |
         *     | formatted_phone                    | String                         |
         *     | external_id                        | String                         |
         *     | created_at                         | Date (UNIX Timestamp)          |
         *     | signed_up_at                       | Date (UNIX Timestamp)          |
         *     | updated_at                         | Date (UNIX Timestamp)          |
         *     | last_seen_at                       | Date (UNIX Timestamp)          |
         *     | last_contacted_at                  | Date (UNIX Timestamp)          |
         *     | last_replied_at                    | Date (UNIX Timestamp)          |
         *     | last_email_opened_at               | Date (UNIX Timestamp)          |
         *     | last_email_clicked_at              | Date (UNIX Timestamp)          |
         *     | language_override                  | String                         |
         *     | browser                            | String                         |
         *     | browser_language                   | String                         |
         *     | os                                 | String                         |
         *     | location.country                   | String                         |
         *     | location.region                    | String                         |
         *     | location.city                      | String                         |
         *     | unsubscribed_from_emails           | Boolean                        |
         *     | marked_email_as_spam               | Boolean                        |
         *     | has_hard_bounced                   | Boolean                        |
         *     | ios_last_seen_at                   | Date (UNIX Timestamp)          |
         *     | ios_app_version                    | String                         |
         *     | ios_device                         | String                         |
         *     | ios_app_device                     | String                         |
         *     | ios_os_version                     | String                         |
         *     | ios_app_name                       | String                         |
         *     | ios_sdk_version                    | String                         |
         *     | android_last_seen_at               | Date (UNIX Timestamp)          |
         *     | android_app_version                | String                         |
         *     | android_device                     | String                         |
         *     | android_app_name                   | String                         |
         *     | andoid_sdk_version                 | String                         |
         *     | segment_id                         | String                         |
         *     | tag_id                             | String                         |
         *     | custom_attributes.{attribute_name} | String                         |
         *
         *     ### Accepted Operators
         *
         *     {% admonition type="warning" name="Operators not supported on Date fields" %}
         *       Date fields (`created_at`, `updated_at`, and any Date custom attribute) do not support the `!=`, `>=`, or `<=` operators. Using them returns an error.
         *     {% /admonition %}
         *
         *     The table below shows the operators you can use to define how you want to search for the value. The operator should be put in as a string (`"="`). Which operators are valid depends on the field's type - see the "Valid Types" column below. Searching by `tag_id` supports only the `=` and `!=` operators.
         *
         *     | Operator | Valid Types                        | Description                                                            |
         *     | :------- | :---------------------------------- | :----------------------------------------------------------------------|
         *     | =        | All                                  | Equals                                                                  |
         *     | !=       | All except Date                      | Doesn't Equal                                                           |
         *     | IN       | All except Date and tag_id           | In<br>Shortcut for `OR` queries<br>Values must be in Array              |
         *     | NIN      | All except Date and tag_id           | Not In<br>Shortcut for `OR !` queries<br>Values must be in Array        |
         *     | >        | Integer<br>Date             | Greater than<br>On Date fields, matches from the start of the next day |
         *     | <        | Integer<br>Date             | Lower than<br>On Date fields, matches before the start of the day      |
         *     | >=       | Integer                     | Greater than or equal to<br>Not supported on Date fields               |
         *     | <=       | Integer                     | Lower than or equal to<br>Not supported on Date fields                 |
         *     | ~        | String                               | Contains                                                                |
         *     | !~       | String                               | Doesn't Contain                                                         |
         *     | ^        | String                               | Starts With                                                             |
         *     | $        | String                               | Ends With                                                               |
         */
        post: operations["SearchContacts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a contact
         * @description You can fetch the details of a single contact.
         *
         *     {% admonition type="info" name="Merged contacts return 410 Gone" %}
         *       If a contact has been merged into another contact via the Merge endpoint (`POST /contacts/merge`), requesting it by its original ID will return **HTTP 410 Gone** with a `Link` header pointing to the canonical (merged-into) contact.
         *
         *       **Response headers:**
         *       ```
         *       Link: </contacts/{canonical_id}>; rel="canonical"
         *       ```
         *
         *       **Response body:**
         *       ```json
         *       {
         *         "type": "error.list",
         *         "errors": [{ "code": "contact_merged", "message": "This contact has been merged. See the 'Link' header for the canonical contact." }]
         *       }
         *       ```
         *
         *       The `Link` header contains the path to the final merge target, resolving multi-hop merge chains (up to 3 hops).
         *     {% /admonition %}
         */
        get: operations["ShowContact"];
        /**
         * Update a contact
         * @description You can update an existing contact (ie. user or lead).
         *
         *     {% admonition type="info" %}
         *       This endpoint handles both **contact updates** and **custom object associations**.
         *
         *       See _`update a contact with an association to a custom object instance`_ in the request/response examples to see the custom object association format.
         *     {% /admonition %}
         */
        put: operations["UpdateContact"];
        post?: never;
        /**
         * Delete a contact
         * @description You can delete a single contact.
         */
        delete: operations["DeleteContact"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive contact
         * @description You can archive a single contact.
         */
        post: operations["ArchiveContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/{contact_id}/unarchive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unarchive contact
         * @description You can unarchive a single contact.
         */
        post: operations["UnarchiveContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/find_by_external_id/{external_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a contact by External ID
         * @description You can fetch the details of a single contact by external ID. Note that this endpoint only supports users and not leads.
         *
         *     {% admonition type="info" name="Merged contacts return 410 Gone" %}
         *       If the contact with this external ID has been merged into another contact, the API returns **HTTP 410 Gone** with a `Link` header pointing to the canonical (merged-into) contact. See `GET /contacts/{id}` for details on the response format.
         *     {% /admonition %}
         */
        get: operations["ShowContactByExternalId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search conversations
         * @description You can search for multiple conversations by the value of their attributes in order to fetch exactly which ones you want.
         *
         *     To search for conversations, you need to send a `POST` request to `https://api.intercom.io/conversations/search`.
         *
         *     This will accept a query object in the body which will define your filters in order to search for conversations.
         *     {% admonition type="warning" name="Optimizing search queries" %}
         *       Search queries can be complex, so optimizing them can help the performance of your search.
         *       Use the `AND` and `OR` operators to combine multiple filters to get the exact results you need and utilize
         *       pagination to limit the number of results returned. The default is `20` results per page and maximum is `150`.
         *       See the [pagination section](https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/#example-search-conversations-request) for more details on how to use the `starting_after` param.
         *     {% /admonition %}
         *
         *     ### Nesting & Limitations
         *
         *     You can nest these filters in order to get even more granular insights that pinpoint exactly what you need. Example: (1 OR 2) AND (3 OR 4).
         *     There are some limitations to the amount of multiple's there can be:
         *     - There's a limit of max 2 nested filters
         *     - There's a limit of max 15 filters for each AND or OR group
         *
         *     ### Accepted Fields
         *
         *     Most keys listed in the conversation model are searchable, whether writeable or not. The value you search for has to match the accepted type, otherwise the query will fail (ie. as `created_at` accepts a date, the `value` cannot be a string such as `"foorbar"`).
         *     The `source.body` field is unique as the search will not be performed against the entire value, but instead against every element of the value separately. For example, when searching for a conversation with a `"I need support"` body - the query should contain a `=` operator with the value `"support"` for such conversation to be returned. A query with a `=` operator and a `"need support"` value will not yield a result.
         *
         *     | Field                                     | Type                                                                                                                                                   |
         *     | :---------------------------------------- | :----------------------------------------------------------------------------------------------------------------------------------------------------- |
         *     | id                                        | String                                                                                                                                                 |
         *     | created_at                                | Date (UNIX timestamp)                                                                                                                                  |
         *     | updated_at                                | Date (UNIX timestamp)                                                                                                                                  |
         *     | source.type                               | String<br>Accepted fields are `conversation`, `email`, `facebook`, `instagram`, `phone_call`, `phone_switch`, `push`, `sms`, `twitter` and `whatsapp`. |
         *     | source.id                                 | String                                                                                                                                                 |
         *     | source.delivered_as                       | String                                                                                                                                                 |
         *     | source.subject                            | String                                                                                                                                                 |
         *     | source.body                               | String                                                                                                                                                 |
         *     | source.author.id                          | String                                                                                                                                                 |
         *     | source.author.type                        | String                                                                                                                                                 |
         *     | source.author.name                        | String                                                                                                                                                 |
         *     | source.author.email                       | String                                                                                                                                                 |
         *     | source.url                                | String                                                                                                                                                 |
         *     | contact_ids                               | String                                                                                                                                                 |
         *     | teammate_ids                              | String                                                                                                                                                 |
         *     | admin_assignee_id                         | Integer                                                                                                                                                |
         *     | team_assignee_id                          | Integer                                                                                                                                                |
         *     | channel_initiated                         | String                                                                                                                                                 |
         *     | open                                      | Boolean                                                                                                                                                |
         *     | read                                      | Boolean                                                                                                                                                |
         *     | state                                     | String                                                                                                                                                 |
         *     | waiting_since                             | Date (UNIX timestamp)                                                                                                                                  |
         *     | snoozed_until                             | Date (UNIX timestamp)                                                                                                                                  |
         *     | tag_ids                                   | String                                                                                                                                                 |
         *     | priority                                  | String                                                                                                                                                 |
         *     | statistics.time_to_assignment             | Integer                                                                                                                                                |
         *     | statistics.time_to_admin_reply            | Integer                                                                                                                                                |
         *     | statistics.time_to_first_close            | Integer                                                                                                                                                |
         *     | statistics.time_to_last_close             | Integer                                                                                                                                                |
         *     | statistics.median_time_to_reply           | Integer                                                                                                                                                |
         *     | statistics.first_contact_reply_at         | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.first_assignment_at            | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.first_admin_reply_at           | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.first_close_at                 | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.last_assignment_at             | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.last_assignment_admin_reply_at | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.last_contact_reply_at          | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.last_admin_reply_at            | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.last_close_at                  | Date (UNIX timestamp)                                                                                                                                  |
         *     | statistics.last_closed_by_id              | String                                                                                                                                                 |
         *     | statistics.count_reopens                  | Integer                                                                                                                                                |
         *     | statistics.count_assignments              | Integer                                                                                                                                                |
         *     | statistics.count_conversation_parts       | Integer                                                                                                                                                |
         *     | conversation_rating.requested_at          | Date (UNIX timestamp)                                                                                                                                  |
         *     | conversation_rating.replied_at            | Date (UNIX timestamp)                                                                                                                                  |
         *     | conversation_rating.score                 | Integer                                                                                                                                                |
         *     | conversation_rating.remark                | String                                                                                                                                                 |
         *     | conversation_rating.contact_id            | String                                                                                                                                                 |
         *     | conversation_rating.admin_d               | String                                                                                                                                                 |
         *     | ai_agent_participated                     | Boolean                                                                                                                                                |
         *     | ai_agent.resolution_state                 | String                                                                                                                                                 |
         *     | ai_agent.last_answer_type                 | String                                                                                                                                                 |
         *     | ai_agent.rating                           | Integer                                                                                                                                                |
         *     | ai_agent.rating_remark                    | String                                                                                                                                                 |
         *     | ai_agent.source_type                      | String                                                                                                                                                 |
         *     | ai_agent.source_title                     | String                                                                                                                                                 |
         *
         *     ### Accepted Operators
         *
         *     The table below shows the operators you can use to define how you want to search for the value.  The operator should be put in as a string (`"="`). The operator has to be compatible with the field's type  (eg. you cannot search with `>` for a given string value as it's only compatible for integer's and dates).
         *
         *     | Operator | Valid Types                    | Description                                                  |
         *     | :------- | :----------------------------- | :----------------------------------------------------------- |
         *     | =        | All                            | Equals                                                       |
         *     | !=       | All                            | Doesn't Equal                                                |
         *     | IN       | All                            | In  Shortcut for `OR` queries  Values most be in Array       |
         *     | NIN      | All                            | Not In  Shortcut for `OR !` queries  Values must be in Array |
         *     | >        | Integer  Date (UNIX Timestamp) | Greater (or equal) than                                      |
         *     | <       | Integer  Date (UNIX Timestamp) | Lower (or equal) than                                        |
         *     | ~        | String                         | Contains                                                     |
         *     | !~       | String                         | Doesn't Contain                                              |
         *     | ^        | String                         | Starts With                                                  |
         *     | $        | String                         | Ends With                                                    |
         */
        post: operations["searchConversations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/conversations/{conversation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a conversation
         * @description You can fetch the details of a single conversation.
         *
         *     This will return a single Conversation model with all its conversation parts.
         *
         *     {% admonition type="warning" name="Hard limit of 500 parts" %}
         *     The maximum number of conversation parts that can be returned via the API is 500. If you have more than that we will return the 500 most recent conversation parts.
         *     {% /admonition %}
         *
         *     For AI agent conversation metadata, please note that you need to have the agent enabled in your workspace, which is a [paid feature](https://www.intercom.com/help/en/articles/8205718-fin-resolutions#h_97f8c2e671).
         */
        get: operations["retrieveConversation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Identify an admin
         * @description You can view the currently authorised admin along with the embedded app object (a "workspace" in legacy terminology).
         *
         *     > 🚧 Single Sign On
         *     >
         *     > If you are building a custom "Log in with Intercom" flow for your site, and you call the `/me` endpoint to identify the logged-in user, you should not accept any sign-ins from users with unverified email addresses as it poses a potential impersonation security risk.
         */
        get: operations["identifyAdmin"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/data_attributes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List all data attributes
         * @description You can fetch a list of all data attributes belonging to a workspace for contacts or companies.
         *
         *     {% admonition type="warning" %}
         *     Conversation attributes are no longer returned by this endpoint. Calling without a `model` parameter no longer includes them, and `model=conversation` returns a `422` error. Use `GET /conversations/attributes` instead.
         *     {% /admonition %}
         */
        get: operations["lisDataAttributes"];
        put?: never;
        /**
         * Create a data attribute
         * @description You can create a data attributes for a `contact` or a `company`.
         */
        post: operations["createDataAttribute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/data_attributes/{data_attribute_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Update a data attribute
         * @description You can update a data attribute.
         *
         *     > 🚧 Updating the data type is not possible
         *     >
         *     > It is currently a dangerous action to execute changing a data attribute's type via the API. You will need to update the type via the UI instead.
         */
        put: operations["updateDataAttribute"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List all data events
         * @description > 🚧
         *     >
         *     > Please note that you can only 'list' events that are less than 90 days old. Event counts and summaries will still include your events older than 90 days but you cannot 'list' these events individually if they are older than 90 days
         *
         *     The events belonging to a customer can be listed by sending a GET request to `https://api.intercom.io/events` with a user or lead identifier along with a `type` parameter. The identifier parameter can be one of `user_id`, `email` or `intercom_user_id`. The `type` parameter value must be `user`.
         *
         *     - `https://api.intercom.io/events?type=user&user_id={user_id}`
         *     - `https://api.intercom.io/events?type=user&email={email}`
         *     - `https://api.intercom.io/events?type=user&intercom_user_id={id}` (this call can be used to list leads)
         *
         *     The `email` parameter value should be [url encoded](http://en.wikipedia.org/wiki/Percent-encoding) when sending.
         *
         *     You can optionally define the result page size as well with the `per_page` parameter.
         */
        get: operations["lisDataEvents"];
        put?: never;
        /**
         * Submit a data event
         * @description You will need an Access Token that has write permissions to send Events. Once you have a key you can submit events via POST to the Events resource, which is located at https://api.intercom.io/events, or you can send events using one of the client libraries. When working with the HTTP API directly a client should send the event with a `Content-Type` of `application/json`.
         *
         *     When using the JavaScript API, [adding the code to your app](http://docs.intercom.io/configuring-Intercom/tracking-user-events-in-your-app) makes the Events API available. Once added, you can submit an event using the `trackEvent` method. This will associate the event with the Lead or currently logged-in user or logged-out visitor/lead and send it to Intercom. The final parameter is a map that can be used to send optional metadata about the event.
         *
         *     With the Ruby client you pass a hash describing the event to `Intercom::Event.create`, or call the `track_user` method directly on the current user object (e.g. `user.track_event`).
         *
         *     **NB: For the JSON object types, please note that we do not currently support nested JSON structure.**
         *
         *     | Type            | Description                                                                                                                                                                                                     | Example                                                                           |
         *     | :-------------- | :-------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------- | :-------------------------------------------------------------------------------- |
         *     | String          | The value is a JSON String                                                                                                                                                                                      | `"source":"desktop"`                                                              |
         *     | Number          | The value is a JSON Number                                                                                                                                                                                      | `"load": 3.67`                                                                    |
         *     | Date            | The key ends with the String `_date` and the value is a [Unix timestamp](http://en.wikipedia.org/wiki/Unix_time), assumed to be in the [UTC](http://en.wikipedia.org/wiki/Coordinated_Universal_Time) timezone. | `"contact_date": 1392036272`                                                      |
         *     | Link            | The value is a HTTP or HTTPS URI.                                                                                                                                                                               | `"article": "https://example.org/ab1de.html"`                                     |
         *     | Rich Link       | The value is a JSON object that contains `url` and `value` keys.                                                                                                                                                | `"article": {"url": "https://example.org/ab1de.html", "value":"the dude abides"}` |
         *     | Monetary Amount | The value is a JSON object that contains `amount` and `currency` keys. The `amount` key is a positive integer representing the amount in cents. The price in the example to the right denotes €349.99.          | `"price": {"amount": 34999, "currency": "eur"}`                                   |
         *
         *     **Lead Events**
         *
         *     When submitting events for Leads, you will need to specify the Lead's `id`.
         *
         *     **Metadata behaviour**
         *
         *     - We currently limit the number of tracked metadata keys to 10 per event. Once the quota is reached, we ignore any further keys we receive. The first 10 metadata keys are determined by the order in which they are sent in with the event.
         *     - It is not possible to change the metadata keys once the event has been sent. A new event will need to be created with the new keys and you can archive the old one.
         *     - There might be up to 24 hrs delay when you send a new metadata for an existing event.
         *
         *     **Event de-duplication**
         *
         *     The API may detect and ignore duplicate events. Each event is uniquely identified as a combination of the following data - the Workspace identifier, the Contact external identifier, the Data Event name and the Data Event created time. As a result, it is **strongly recommended** to send a second granularity Unix timestamp in the `created_at` field.
         *
         *     Duplicated events are responded to using the normal `202 Accepted` code - an error is not thrown, however repeat requests will be counted against any rate limit that is in place.
         *
         *     ### HTTP API Responses
         *
         *     - Successful responses to submitted events return `202 Accepted` with an empty body.
         *     - Unauthorised access will be rejected with a `401 Unauthorized` or `403 Forbidden` response code.
         *     - Events sent about users that cannot be found will return a `404 Not Found`.
         *     - Event lists containing duplicate events will have those duplicates ignored.
         *     - Server errors will return a `500` response code and may contain an error message in the body.
         */
        post: operations["createDataEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contacts/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge a lead and a user
         * @description You can merge a contact with a `role` of `lead` into a contact with a `role` of `user`.
         *
         *     {% admonition type="warning" name="Merged contacts are not retrievable via the API" %}
         *       Once a merge is completed, the source contact (`from`) is permanently removed from the active contact list. This means:
         *       - **GET /contacts/{id}** — Requesting the source contact by its original ID will return a `404 Not Found` error.
         *       - **POST /contacts/search** — The source contact will not appear in search results, including queries filtered by `updated_at`.
         *       - **GET /contacts** — The source contact will not appear in list results.
         *
         *       Only the target contact (`into`) remains accessible. If your application stores contact IDs, update them to use the target contact's ID after a merge.
         *     {% /admonition %}
         */
        post: operations["MergeContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * Addressable List
         * @description A list used to access other resources from a parent model.
         */
        addressable_list: {
            /**
             * Format: uri
             * @description The addressable object type
             * @example note
             */
            type?: string;
            /**
             * @description The id of the addressable object
             * @example 123
             */
            id?: string;
            /**
             * Format: uri
             * @description Url to get more company resources for this contact
             * @example /contacts/5ba682d23d7cf92bef87bfd4/notes
             */
            url?: string;
        };
        /**
         * Admin
         * @description Admins are teammate accounts that have access to a workspace.
         */
        admin: {
            /**
             * @description String representing the object's type. Always has the value `admin`.
             * @example admin
             */
            type?: string;
            /**
             * @description The id representing the admin.
             * @example 1295
             */
            id?: string;
            /**
             * @description The name of the admin.
             * @example Joe Example
             */
            name?: string;
            /**
             * @description The email of the admin.
             * @example jdoe@example.com
             */
            email?: string;
            /**
             * @description The job title of the admin.
             * @example Associate
             */
            job_title?: string;
            /**
             * @description Identifies if this admin is currently set in away mode.
             * @example false
             */
            away_mode_enabled?: boolean;
            /**
             * @description Identifies if this admin is set to automatically reassign new conversations to the apps default inbox.
             * @example false
             */
            away_mode_reassign?: boolean;
            /**
             * @description The unique identifier of the away status reason
             * @example 12345
             */
            away_status_reason_id?: number | null;
            /**
             * @description Identifies if this admin has a paid inbox seat to restrict/allow features that require them.
             * @example true
             */
            has_inbox_seat?: boolean;
            /**
             * @description This object represents the avatar associated with the admin.
             * @example [
             *       814865
             *     ]
             */
            team_ids?: number[];
            /**
             * Format: uri
             * @description Image for the associated team or teammate
             * @example https://picsum.photos/200/300
             */
            avatar?: string | null;
            team_priority_level?: components["schemas"]["team_priority_level"];
            /** @description The role assigned to this admin. Only present if the admin has a role assigned. */
            role?: {
                /**
                 * @description String representing the object's type. Always has the value `role`.
                 * @example role
                 */
                type?: string;
                /**
                 * @description The id of the role.
                 * @example 1
                 */
                id?: string;
                /**
                 * @description The name of the role.
                 * @example Support Agent
                 */
                name?: string;
            } | null;
        } | null;
        /**
         * Admin
         * @description Admins are the teammate accounts that have access to a workspace
         */
        admin_with_app: {
            /**
             * @description String representing the object's type. Always has the value `admin`.
             * @example admin
             */
            type?: string;
            /**
             * @description The id representing the admin.
             * @example 1295
             */
            id?: string;
            /**
             * @description The name of the admin.
             * @example Joe Example
             */
            name?: string;
            /**
             * @description The email of the admin.
             * @example jdoe@example.com
             */
            email?: string;
            /**
             * @description The job title of the admin.
             * @example Associate
             */
            job_title?: string;
            /**
             * @description Identifies if this admin is currently set in away mode.
             * @example false
             */
            away_mode_enabled?: boolean;
            /**
             * @description Identifies if this admin is set to automatically reassign new conversations to the apps default inbox.
             * @example false
             */
            away_mode_reassign?: boolean;
            /**
             * @description Identifies if this admin has a paid inbox seat to restrict/allow features that require them.
             * @example true
             */
            has_inbox_seat?: boolean;
            /**
             * @description This is a list of ids of the teams that this admin is part of.
             * @example [
             *       814865
             *     ]
             */
            team_ids?: number[];
            /** @description This object represents the avatar associated with the admin. */
            avatar?: {
                /**
                 * @description This is a string that identifies the type of the object. It will always have the value `avatar`.
                 * @default avatar
                 * @example avatar
                 */
                type: string;
                /**
                 * Format: uri
                 * @description This object represents the avatar associated with the admin.
                 * @example https://example.com/avatar.png
                 */
                image_url?: string | null;
            };
            /**
             * @description Identifies if this admin's email is verified.
             * @example true
             */
            email_verified?: boolean | null;
            /** @description App that the admin belongs to. */
            app?: components["schemas"]["app"];
        } | null;
        /**
         * AI Agent
         * @description Data related to AI Agent involvement in the conversation.
         */
        ai_agent: {
            /**
             * @description The type of the source that triggered AI Agent involvement in the conversation.
             * @example workflow
             * @enum {string|null}
             */
            source_type?: "essentials_plan_setup" | "profile" | "workflow" | "workflow_preview" | "fin_preview" | null;
            /**
             * @description The title of the source that triggered AI Agent involvement in the conversation. If this is `essentials_plan_setup` then it will return `null`.
             * @example My AI Workflow
             */
            source_title?: string | null;
            /**
             * @description The type of the last answer delivered by AI Agent. If no answer was delivered then this will return `null`
             * @example ai_answer
             * @enum {string|null}
             */
            last_answer_type?: null | "ai_answer" | "custom_answer";
            /**
             * @description The resolution state of AI Agent. If no AI or custom answer has been delivered then this will return `null`.
             * @example assumed_resolution
             * @enum {string|null}
             */
            resolution_state?: "assumed_resolution" | "confirmed_resolution" | "escalated" | "negative_feedback" | "procedure_handoff" | null;
            /**
             * @description The customer satisfaction rating given to AI Agent, from 1-5.
             * @example 4
             */
            rating?: number | null;
            /**
             * @description The customer satisfaction rating remark given to AI Agent.
             * @example Very helpful!
             */
            rating_remark?: string | null;
            /**
             * Format: date-time
             * @description The time when the AI agent rating was created.
             * @example 1663597260
             */
            created_at?: number | null;
            /**
             * Format: date-time
             * @description The time when the AI agent rating was last updated.
             * @example 1663597260
             */
            updated_at?: number | null;
            content_sources?: components["schemas"]["content_sources_list"];
        };
        /**
         * App
         * @description App is a workspace on Intercom
         */
        app: {
            /**
             * @default app
             * @example app
             */
            type: string;
            /**
             * @description The id of the app.
             * @example xyz789
             */
            id_code?: string;
            /**
             * @description The name of the app.
             * @example ACME
             */
            name?: string;
            /**
             * @description The Intercom region the app is located in.
             * @example US
             */
            region?: string;
            /**
             * @description The timezone of the region where the app is located.
             * @example America/Los_Angeles
             */
            timezone?: string;
            /**
             * @description When the app was created.
             * @example 1671465577
             */
            created_at?: number;
            /**
             * @description Whether or not the app uses identity verification.
             * @example false
             */
            identity_verification?: boolean;
        } | null;
        /**
         * Company
         * @description Companies allow you to represent organizations using your product. Each company will have its own description and be associated with contacts. You can fetch, create, update and list companies.
         */
        company: {
            /**
             * @description Value is `company`
             * @example company
             * @enum {string}
             */
            type?: "company";
            /**
             * @description The Intercom defined id representing the company.
             * @example 531ee472cce572a6ec000006
             */
            id?: string;
            /**
             * @description The name of the company.
             * @example Blue Sun
             */
            name?: string;
            /**
             * @description The Intercom defined code of the workspace the company is associated to.
             * @example ecahpwf5
             */
            app_id?: string;
            plan?: {
                /**
                 * @description Value is always "plan"
                 * @example plan
                 */
                type?: string;
                /**
                 * @description The id of the plan
                 * @example 269315
                 */
                id?: string;
                /**
                 * @description The name of the plan
                 * @example Pro
                 */
                name?: string;
            };
            /**
             * @description The company id you have defined for the company.
             * @example 6
             */
            company_id?: string;
            /**
             * @description The time the company was created by you.
             * @example 1663597223
             */
            remote_created_at?: number;
            /**
             * @description The time the company was added in Intercom.
             * @example 1663597223
             */
            created_at?: number;
            /**
             * @description The last time the company was updated.
             * @example 1663597223
             */
            updated_at?: number;
            /**
             * @description The time the company last recorded making a request.
             * @example 1663597223
             */
            last_request_at?: number;
            /**
             * @description The number of employees in the company.
             * @example 100
             */
            size?: number;
            /**
             * @description The URL for the company website.
             * @example https://www.intercom.com
             */
            website?: string;
            /**
             * @description The industry that the company operates in.
             * @example Software
             */
            industry?: string;
            /**
             * @description How much revenue the company generates for your business.
             * @example 100
             */
            monthly_spend?: number;
            /**
             * @description How many sessions the company has recorded.
             * @example 100
             */
            session_count?: number;
            /**
             * @description The number of users in the company.
             * @example 100
             */
            user_count?: number;
            /**
             * @description The custom attributes you have set on the company.
             * @example {
             *       "paid_subscriber": true,
             *       "monthly_spend": 155.5,
             *       "team_mates": 9
             *     }
             */
            custom_attributes?: {
                [key: string]: string;
            };
            /** @description The list of tags associated with the company */
            tags?: {
                /**
                 * @description The type of the object
                 * @enum {string}
                 */
                type?: "tag.list";
                tags?: components["schemas"]["tag_basic"][];
            };
            /** @description The list of segments associated with the company */
            segments?: {
                /**
                 * @description The type of the object
                 * @enum {string}
                 */
                type?: "segment.list";
                segments?: components["schemas"]["segment"][];
            };
            /** @description The list of notes associated with the company */
            notes?: {
                /**
                 * @description The type of the object
                 * @enum {string}
                 */
                type?: "note.list";
                notes?: components["schemas"]["company_note"][];
            };
        };
        /**
         * Company Data
         * @description An object containing data about the companies that a contact is associated with.
         */
        company_data: {
            /**
             * @description The unique identifier for the company which is given by Intercom.
             * @example 5ba682d23d7cf92bef87bfd4
             */
            id?: string;
            /**
             * @description The type of the object. Always company.
             * @example company
             * @enum {string}
             */
            type?: "company";
            /**
             * Format: uri
             * @description The relative URL of the company.
             * @example /companies/5ba682d23d7cf92bef87bfd4
             */
            url?: string;
        };
        /**
         * Company Note
         * @description Notes allow you to annotate and comment on companies.
         */
        company_note: {
            /**
             * @description String representing the object's type. Always has the value `note`.
             * @example note
             */
            type?: string;
            /**
             * @description The id of the note.
             * @example 17495962
             */
            id?: string;
            /**
             * Format: timestamp
             * @description The time the note was created.
             * @example 1674589321
             */
            created_at?: number;
            /** @description Represents the company that the note was created about. */
            company?: {
                /**
                 * @description String representing the object's type. Always has the value `company`.
                 * @example company
                 */
                type?: string;
                /**
                 * @description The id of the company.
                 * @example 6329bd9ffe4e2e91dac76188
                 */
                id?: string;
            } | null;
            /** @description Optional. Represents the Admin that created the note. */
            author?: components["schemas"]["admin"];
            /**
             * @description The body text of the note.
             * @example <p>Text for the note.</p>
             */
            body?: string;
        };
        /**
         * Contact
         * @description Contacts represent your leads and users in Intercom.
         */
        contact: {
            /**
             * @description The type of object.
             * @example contact
             */
            type?: string;
            /**
             * @description The unique identifier for the contact which is given by Intercom.
             * @example 5ba682d23d7cf92bef87bfd4
             */
            id?: string;
            /**
             * @description The unique identifier for the contact which is provided by the Client.
             * @example f3b87a2e09d514c6c2e79b9a
             */
            external_id?: string | null;
            /**
             * @description The id of the workspace which the contact belongs to.
             * @example ecahpwf5
             */
            workspace_id?: string;
            /**
             * @description The role of the contact.
             * @example user
             */
            role?: string;
            /**
             * @description The contact's email.
             * @example joe@example.com
             */
            email?: string;
            /**
             * @description The contact's email domain.
             * @example example.com
             */
            email_domain?: string;
            /**
             * @description The contacts phone.
             * @example +1123456789
             */
            phone?: string | null;
            /**
             * @description The contacts name.
             * @example John Doe
             */
            name?: string | null;
            /**
             * @description The id of an admin that has been assigned account ownership of the contact.
             * @example 321
             */
            owner_id?: string | null;
            /**
             * @description Whether the contact has had an email sent to them hard bounce.
             * @example true
             */
            has_hard_bounced?: boolean;
            /**
             * @description Whether the contact has marked an email sent to them as spam.
             * @example true
             */
            marked_email_as_spam?: boolean;
            /**
             * @description Whether the contact is unsubscribed from emails.
             * @example true
             */
            unsubscribed_from_emails?: boolean;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact was created.
             * @example 1571672154
             */
            created_at?: number;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact was last updated.
             * @example 1571672154
             */
            updated_at?: number;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time specified for when a contact signed up.
             * @example 1571672154
             */
            signed_up_at?: number | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact was last seen (either where the Intercom Messenger was installed or when specified manually).
             * @example 1571672154
             */
            last_seen_at?: number | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact last messaged in.
             * @example 1571672154
             */
            last_replied_at?: number | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact was last messaged.
             * @example 1571672154
             */
            last_contacted_at?: number | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact last opened an email.
             * @example 1571672154
             */
            last_email_opened_at?: number | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact last clicked a link in an email.
             * @example 1571672154
             */
            last_email_clicked_at?: number | null;
            /**
             * @description A preferred language setting for the contact, used by the Intercom Messenger even if their browser settings change.
             * @example en
             */
            language_override?: string | null;
            /**
             * @description The name of the browser which the contact is using.
             * @example Chrome
             */
            browser?: string | null;
            /**
             * @description The version of the browser which the contact is using.
             * @example 80.0.3987.132
             */
            browser_version?: string | null;
            /**
             * @description The language set by the browser which the contact is using.
             * @example en-US
             */
            browser_language?: string | null;
            /**
             * @description The operating system which the contact is using.
             * @example Mac OS X
             */
            os?: string | null;
            /**
             * @description The name of the Android app which the contact is using.
             * @example Intercom
             */
            android_app_name?: string | null;
            /**
             * @description The version of the Android app which the contact is using.
             * @example 5.0.0
             */
            android_app_version?: string | null;
            /**
             * @description The Android device which the contact is using.
             * @example Pixel 3
             */
            android_device?: string | null;
            /**
             * @description The version of the Android OS which the contact is using.
             * @example 10
             */
            android_os_version?: string | null;
            /**
             * @description The version of the Android SDK which the contact is using.
             * @example 28
             */
            android_sdk_version?: string | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact was last seen on an Android device.
             * @example 1571672154
             */
            android_last_seen_at?: number | null;
            /**
             * @description The name of the iOS app which the contact is using.
             * @example Intercom
             */
            ios_app_name?: string | null;
            /**
             * @description The version of the iOS app which the contact is using.
             * @example 5.0.0
             */
            ios_app_version?: string | null;
            /**
             * @description The iOS device which the contact is using.
             * @example iPhone 11
             */
            ios_device?: string | null;
            /**
             * @description The version of iOS which the contact is using.
             * @example 13.3.1
             */
            ios_os_version?: string | null;
            /**
             * @description The version of the iOS SDK which the contact is using.
             * @example 13.3.1
             */
            ios_sdk_version?: string | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The last time the contact used the iOS app.
             * @example 1571672154
             */
            ios_last_seen_at?: number | null;
            /** @description The custom attributes which are set for the contact. */
            custom_attributes?: Record<string, unknown>;
            avatar?: {
                /**
                 * @description The type of object
                 * @example avatar
                 */
                type?: string;
                /**
                 * Format: uri
                 * @description An image URL containing the avatar of a contact.
                 * @example https://example.org/128Wash.jpg
                 */
                image_url?: string | null;
            } | null;
            tags?: components["schemas"]["contact_tags"];
            notes?: components["schemas"]["contact_notes"];
            companies?: components["schemas"]["contact_companies"];
            location?: components["schemas"]["contact_location"];
            social_profiles?: components["schemas"]["contact_social_profiles"];
            /** @description A list of contacts that were merged into this contact. Only included in the response when `include_merge_history=true` is passed as a query parameter. Only available for contacts with a `user` role. */
            merge_history?: components["schemas"]["merge_history_item"][] | null;
        };
        /**
         * Contact Archived
         * @description archived contact object
         */
        contact_archived: {
            /**
             * @description Whether the contact is archived or not.
             * @example true
             */
            archived?: boolean;
        } & components["schemas"]["contact_reference"];
        /**
         * Contact companies
         * @description An object with metadata about companies attached to a contact . Up to 10 will be displayed here. Use the url to get more.
         */
        contact_companies: {
            /** @description An array of company data objects attached to the contact. */
            data?: components["schemas"]["company_data"][];
            /**
             * Format: uri
             * @description Url to get more company resources for this contact
             * @example /contacts/5ba682d23d7cf92bef87bfd4/companies
             */
            url?: string;
            /**
             * @description Integer representing the total number of companies attached to this contact
             * @example 100
             */
            total_count?: number;
            /**
             * @description Whether there's more Addressable Objects to be viewed. If true, use the url to view all
             * @example true
             */
            has_more?: boolean;
        };
        /**
         * Contact Deleted
         * @description deleted contact object
         */
        contact_deleted: {
            /**
             * @description Whether the contact is deleted or not.
             * @example true
             */
            deleted?: boolean;
        } & components["schemas"]["contact_reference"];
        /**
         * Contact List
         * @description Contacts are your users in Intercom.
         */
        contact_list: {
            /**
             * @description Always list
             * @example list
             * @enum {string}
             */
            type?: "list";
            /** @description The list of contact objects */
            data?: components["schemas"]["contact"][];
            /**
             * @description A count of the total number of objects.
             * @example 100
             */
            total_count?: number;
            pages?: components["schemas"]["cursor_pages"];
        };
        /**
         * Contact Location
         * @description An object containing location meta data about a Intercom contact.
         */
        contact_location: {
            /**
             * @description Always location
             * @example location
             */
            type?: string | null;
            /**
             * @description The country that the contact is located in
             * @example Ireland
             */
            country?: string | null;
            /**
             * @description The overal region that the contact is located in
             * @example Dublin
             */
            region?: string | null;
            /**
             * @description The city that the contact is located in
             * @example Dublin
             */
            city?: string | null;
        };
        /**
         * Contact notes
         * @description An object containing notes meta data about the notes that a contact has. Up to 10 will be displayed here. Use the url to get more.
         */
        contact_notes: {
            /** @description This object represents the notes attached to a contact. */
            data?: components["schemas"]["addressable_list"][];
            /**
             * Format: uri
             * @description Url to get more company resources for this contact
             * @example /contacts/5ba682d23d7cf92bef87bfd4/notes
             */
            url?: string;
            /**
             * @description Int representing the total number of companyies attached to this contact
             * @example 100
             */
            total_count?: number;
            /**
             * @description Whether there's more Addressable Objects to be viewed. If true, use the url to view all
             * @example true
             */
            has_more?: boolean;
        };
        /**
         * Contact Reference
         * @description reference to contact object
         */
        contact_reference: {
            /**
             * @description always contact
             * @example contact
             * @enum {string}
             */
            type?: "contact";
            /**
             * @description The unique identifier for the contact which is given by Intercom.
             * @example 5ba682d23d7cf92bef87bfd4
             */
            id?: string;
            /**
             * @description The unique identifier for the contact which is provided by the Client.
             * @example 70
             */
            external_id?: string | null;
        };
        /**
         * Contact search request
         * @description Search for contacts using Intercom's Search API.
         */
        contact_search_request: {
            query: components["schemas"]["single_filter_search_request"] | components["schemas"]["multiple_filter_search_request"];
            pagination?: components["schemas"]["starting_after_paging"];
            /** @description An optional object to sort the results by. */
            sort?: {
                /**
                 * @description The field to sort the results on.
                 * @example created_at
                 */
                field?: string;
                /**
                 * @description The order to sort the results in. Defaults to `descending` when omitted. Values other than `ascending` or `descending` return a `400` error with code `invalid_sort_order`.
                 * @default descending
                 * @example descending
                 * @enum {string}
                 */
                order: "ascending" | "descending";
            };
        };
        /**
         * Social Profile
         * @description An object containing social profiles that a contact has.
         */
        contact_social_profiles: {
            /** @description A list of social profiles objects associated with the contact. */
            data?: components["schemas"]["social_profile"][];
        };
        /**
         * Contact Tags
         * @description An object containing tags meta data about the tags that a contact has. Up to 10 will be displayed here. Use the url to get more.
         */
        contact_tags: {
            /** @description This object represents the tags attached to a contact. */
            data?: components["schemas"]["addressable_list"][];
            /**
             * Format: uri
             * @description url to get more tag resources for this contact
             * @example /contacts/5ba682d23d7cf92bef87bfd4/tags
             */
            url?: string;
            /**
             * @description Int representing the total number of tags attached to this contact
             * @example 100
             */
            total_count?: number;
            /**
             * @description Whether there's more Addressable Objects to be viewed. If true, use the url to view all
             * @example true
             */
            has_more?: boolean;
        } | null;
        /**
         * Contact Unarchived
         * @description unarchived contact object
         */
        contact_unarchived: {
            /**
             * @description Whether the contact is archived or not.
             * @example false
             */
            archived?: boolean;
        } & components["schemas"]["contact_reference"];
        /**
         * Content Source
         * @description The content source used by AI Agent in the conversation.
         */
        content_source: {
            /**
             * @description The type of the content source.
             * @example content_snippet
             * @enum {string}
             */
            content_type?: "file" | "article" | "external_content" | "content_snippet" | "workflow_connector_action";
            /**
             * @description The internal URL linking to the content source for teammates.
             * @example /fin-ai-agent/content?content=content_snippet&id=3234924
             */
            url?: string;
            /**
             * @description The title of the content source.
             * @example My internal content snippet
             */
            title?: string;
            /**
             * @description The ISO 639 language code of the content source.
             * @example en
             */
            locale?: string;
        };
        /** Content Source List */
        content_sources_list: {
            /**
             * @example content_source.list
             * @enum {string}
             */
            type?: "content_source.list";
            /**
             * @description The total number of content sources used by AI Agent in the conversation.
             * @example 1
             */
            total_count?: number;
            /** @description The content sources used by AI Agent in the conversation. */
            content_sources?: components["schemas"]["content_source"][];
        };
        /**
         * Conversation
         * @description Conversations are how you can communicate with users in Intercom. They are created when a contact replies to an outbound message, or when one admin directly sends a message to a single contact.
         */
        conversation: {
            /**
             * @description Always conversation.
             * @example conversation
             */
            type?: string;
            /**
             * @description The id representing the conversation.
             * @example 1295
             */
            id?: string;
            /**
             * @description The title given to the conversation.
             * @example Conversation Title
             */
            title?: string | null;
            /**
             * Format: date-time
             * @description The time the conversation was created.
             * @example 1663597223
             */
            created_at?: number;
            /**
             * Format: date-time
             * @description The last time the conversation was updated.
             * @example 1663597260
             */
            updated_at?: number;
            /**
             * Format: date-time
             * @description The last time a Contact responded to an Admin. In other words, the time a customer started waiting for a response. Set to null if last reply is from an Admin.
             * @example 1663597260
             */
            waiting_since?: number | null;
            /**
             * Format: date-time
             * @description If set this is the time in the future when this conversation will be marked as open. i.e. it will be in a snoozed state until this time. i.e. it will be in a snoozed state until this time.
             * @example 1663597260
             */
            snoozed_until?: number | null;
            /**
             * @description Indicates whether a conversation is open (true) or closed (false).
             * @example true
             */
            open?: boolean;
            /**
             * @description Can be set to "open", "closed" or "snoozed".
             * @example open
             * @enum {string}
             */
            state?: "open" | "closed" | "snoozed";
            /**
             * @description Indicates whether a conversation has been read.
             * @example true
             */
            read?: boolean;
            /**
             * @description The priority level of the conversation. Returns one of none, low, medium, high, or urgent.
             * @example high
             * @enum {string}
             */
            priority?: "none" | "low" | "medium" | "high" | "urgent";
            /**
             * @description The id of the admin assigned to the conversation. If it's not assigned to an admin it will return 0.
             * @example 0
             */
            admin_assignee_id?: number;
            /**
             * @description The id of the team assigned to the conversation. If it's not assigned to a team it will return 0.
             * @example 5017691
             */
            team_assignee_id?: number;
            /** @description The company associated with the conversation. */
            company?: components["schemas"]["company"];
            tags?: components["schemas"]["tags"];
            conversation_rating?: components["schemas"]["conversation_rating"];
            source?: components["schemas"]["conversation_source"];
            contacts?: components["schemas"]["conversation_contacts"];
            teammates?: components["schemas"]["conversation_teammates"];
            custom_attributes?: components["schemas"]["custom_attributes"];
            first_contact_reply?: components["schemas"]["conversation_first_contact_reply"];
            sla_applied?: components["schemas"]["sla_applied"];
            statistics?: components["schemas"]["conversation_statistics"];
            conversation_parts?: components["schemas"]["conversation_parts"];
            linked_objects?: components["schemas"]["linked_object_list"];
            /**
             * @description Indicates whether the AI Agent participated in the conversation.
             * @example true
             */
            ai_agent_participated?: boolean;
            ai_agent?: components["schemas"]["ai_agent"];
            /**
             * @description Indicates whether the Sales Agent participated in the conversation.
             * @example false
             */
            sales_agent_participated?: boolean;
            sales_agent?: components["schemas"]["sales_agent"];
            /** @description The channel through which the conversation was initiated and its current channel. */
            channel?: components["schemas"]["conversation_channel"] | null;
            /**
             * @description References linking this conversation to records in an external helpdesk or CRM system. Populated for Fin Standalone workspaces synced from an external platform; an empty array otherwise. Sorted alphabetically by `type` and capped at 20 entries.
             * @example [
             *       {
             *         "type": "zendesk_ticket",
             *         "id": "3633338"
             *       },
             *       {
             *         "type": "zendesk_sunshine_conversation",
             *         "id": "abc-def-uuid"
             *       }
             *     ]
             */
            external_references?: components["schemas"]["conversation_external_reference"][];
            /** @description QA monitor evaluations that flagged this conversation. Only included when `include_monitors=true` is passed as a query parameter. */
            monitor_evaluations?: components["schemas"]["conversation_monitor_evaluation"][];
            /** @description QA scorecard results for this conversation. Only included when `include_scorecards=true` is passed as a query parameter. */
            scorecards?: components["schemas"]["conversation_scorecard"][];
        };
        /**
         * Part type - conversation_attribute_updated_by_admin
         * @description Contains details about Custom Data Attributes (CDAs) that were modified by an admin (operator) for conversation part type <code>conversation_attribute_updated_by_admin</code>.
         */
        conversation_attribute_updated_by_admin: {
            attribute?: {
                /**
                 * @description Name of the CDA updated
                 * @example jira_issue_key
                 */
                name?: string;
            };
            value?: {
                /**
                 * @description Current value of the CDA updated
                 * @example PROJ-007
                 */
                name?: string;
                /**
                 * @description Previous value of the CDA
                 * @example PROJ-006
                 */
                previous?: string | null;
            };
        };
        /**
         * Part type - conversation_attribute_updated_by_user
         * @description Contains details about Custom Data Attributes (CDAs) that were modified by a user for conversation part type <code>conversation_attribute_updated_by_user</code>.
         */
        conversation_attribute_updated_by_user: {
            attribute?: {
                /**
                 * @description Name of the CDA updated
                 * @example Priority
                 */
                name?: string;
            };
            value?: {
                /**
                 * @description Current value of the CDA updated
                 * @example High
                 */
                name?: string;
                /**
                 * @description Previous value of the CDA (null for older events)
                 * @example Medium
                 */
                previous?: string | null;
            };
        };
        /**
         * Part type - conversation_attribute_updated_by_workflow
         * @description Contains details about the workflow that was triggered and any Custom Data Attributes (CDAs) that were modified during the workflow execution for conversation part type <code>conversation_attribute_updated_by_workflow</code>.
         */
        conversation_attribute_updated_by_workflow: {
            workflow?: {
                /**
                 * @description Name of the workflow
                 * @example Workflow 1
                 */
                name?: string;
            };
            attribute?: {
                /**
                 * @description Name of the CDA updated
                 * @example flight_category
                 */
                name?: string;
            };
            value?: {
                /**
                 * @description Value of the CDA updated
                 * @example vip_status
                 */
                name?: string;
            };
        };
        /**
         * Conversation Channel
         * @description The channel through which a conversation was originally initiated and its current channel.
         */
        conversation_channel: {
            /**
             * @description The channel through which the conversation was originally initiated. Possible values include `messenger`, `zendesk_sunshine`, `zendesk_ticket`, `twitter`, `email`. Returns `null` if channel data is unavailable.
             * @example messenger
             */
            initial?: string | null;
            /**
             * @description The current channel of the conversation. May differ from `initial` if the conversation was migrated between channels. Returns `null` if channel data is unavailable.
             * @example messenger
             */
            current?: string | null;
        };
        /**
         * Contacts
         * @description The list of contacts (users or leads) involved in this conversation. This will only contain one customer unless more were added via the group conversation feature.
         */
        conversation_contacts: {
            /**
             * @example contact.list
             * @enum {string}
             */
            type?: "contact.list";
            /** @description The list of contacts (users or leads) involved in this conversation. This will only contain one customer unless more were added via the group conversation feature. */
            contacts?: components["schemas"]["contact_reference"][];
        };
        /**
         * Conversation External Reference
         * @description A reference linking a conversation to a record in an external helpdesk or CRM system, surfaced for Fin Standalone workspaces.
         */
        conversation_external_reference: {
            /**
             * @description The type of external system the reference points to. Possible values include `zendesk_ticket`, `zendesk_sunshine_conversation`, `salesforce_case`, `salesforce_in_app_message_conversation`, `freshdesk_ticket`, `freshchat_conversation`, `hubspot_conversation`, `custom_helpdesk_conversation`, `api_conversation`.
             * @example zendesk_ticket
             */
            type?: string;
            /**
             * @description The identifier of the record in the external system. Always serialized as a string, since some external IDs exceed 32-bit integer range.
             * @example 3633338
             */
            id?: string;
        };
        /**
         * First contact reply
         * @description An object containing information on the first users message. For a contact initiated message this will represent the users original message.
         */
        conversation_first_contact_reply: {
            /**
             * Format: date-time
             * @example 1663597223
             */
            created_at?: number;
            /** @example conversation */
            type?: string;
            /** @example https://developers.intercom.com/ */
            url?: string | null;
        } | null;
        /**
         * Conversation List
         * @description Conversations are how you can communicate with users in Intercom. They are created when a contact replies to an outbound message, or when one admin directly sends a message to a single contact.
         */
        conversation_list: {
            /**
             * @description Always conversation.list
             * @example conversation.list
             * @enum {string}
             */
            type?: "conversation.list";
            /** @description The list of conversation objects */
            conversations?: components["schemas"]["conversation_list_item"][];
            /**
             * @description A count of the total number of objects.
             * @example 12345
             */
            total_count?: number;
            pages?: components["schemas"]["cursor_pages"];
        };
        /**
         * Conversation List Item
         * @description The data returned about your conversations when you list or search them.
         */
        conversation_list_item: {
            /**
             * @description Always conversation.
             * @example conversation
             */
            type?: string;
            /**
             * @description The id representing the conversation.
             * @example 1295
             */
            id?: string;
            /**
             * @description The title given to the conversation.
             * @example Conversation Title
             */
            title?: string | null;
            /**
             * Format: date-time
             * @description The time the conversation was created.
             * @example 1663597223
             */
            created_at?: number;
            /**
             * Format: date-time
             * @description The last time the conversation was updated.
             * @example 1663597260
             */
            updated_at?: number;
            /**
             * Format: date-time
             * @description The last time a Contact responded to an Admin. In other words, the time a customer started waiting for a response. Set to null if last reply is from an Admin.
             * @example 1663597260
             */
            waiting_since?: number | null;
            /**
             * Format: date-time
             * @description If set this is the time in the future when this conversation will be marked as open. i.e. it will be in a snoozed state until this time. i.e. it will be in a snoozed state until this time.
             * @example 1663597260
             */
            snoozed_until?: number | null;
            /**
             * @description Indicates whether a conversation is open (true) or closed (false).
             * @example true
             */
            open?: boolean;
            /**
             * @description Can be set to "open", "closed" or "snoozed".
             * @example open
             * @enum {string}
             */
            state?: "open" | "closed" | "snoozed";
            /**
             * @description Indicates whether a conversation has been read.
             * @example true
             */
            read?: boolean;
            /**
             * @description The priority level of the conversation. Returns one of none, low, medium, high, or urgent.
             * @example high
             * @enum {string}
             */
            priority?: "none" | "low" | "medium" | "high" | "urgent";
            /**
             * @description The id of the admin assigned to the conversation. If it's not assigned to an admin it will return 0.
             * @example 0
             */
            admin_assignee_id?: number;
            /**
             * @description The id of the team assigned to the conversation. If it's not assigned to a team it will return 0.
             * @example 5017691
             */
            team_assignee_id?: number;
            /** @description The company associated with the conversation. */
            company?: components["schemas"]["company"];
            tags?: components["schemas"]["tags"];
            conversation_rating?: components["schemas"]["conversation_rating"];
            source?: components["schemas"]["conversation_source"];
            contacts?: components["schemas"]["conversation_contacts"];
            teammates?: components["schemas"]["conversation_teammates"];
            custom_attributes?: components["schemas"]["custom_attributes"];
            first_contact_reply?: components["schemas"]["conversation_first_contact_reply"];
            sla_applied?: components["schemas"]["sla_applied"];
            statistics?: components["schemas"]["conversation_statistics"];
            linked_objects?: components["schemas"]["linked_object_list"];
            /**
             * @description Indicates whether the AI Agent participated in the conversation.
             * @example true
             */
            ai_agent_participated?: boolean;
            ai_agent?: components["schemas"]["ai_agent"];
            /**
             * @description Indicates whether the Sales Agent participated in the conversation.
             * @example false
             */
            sales_agent_participated?: boolean;
            sales_agent?: components["schemas"]["sales_agent"];
            /** @description The channel through which the conversation was initiated and its current channel. */
            channel?: components["schemas"]["conversation_channel"] | null;
            /**
             * @description References linking this conversation to records in an external helpdesk or CRM system. Populated for Fin Standalone workspaces synced from an external platform; an empty array otherwise. Sorted alphabetically by `type` and capped at 20 entries.
             * @example [
             *       {
             *         "type": "zendesk_ticket",
             *         "id": "3633338"
             *       },
             *       {
             *         "type": "zendesk_sunshine_conversation",
             *         "id": "abc-def-uuid"
             *       }
             *     ]
             */
            external_references?: components["schemas"]["conversation_external_reference"][];
            /** @description QA monitor evaluations that flagged this conversation. Only included when `include_monitors=true` is passed as a query parameter. */
            monitor_evaluations?: components["schemas"]["conversation_monitor_evaluation"][];
            /** @description QA scorecard results for this conversation. Only included when `include_scorecards=true` is passed as a query parameter. */
            scorecards?: components["schemas"]["conversation_scorecard"][];
        };
        /**
         * Conversation Monitor Evaluation
         * @description A QA monitor evaluation that flagged this conversation. Returned in the `monitor_evaluations` array on conversation responses when `include_monitors=true` is passed.
         */
        conversation_monitor_evaluation: {
            /**
             * @description The unique identifier of the monitor that produced this evaluation.
             * @example 12345
             */
            monitor_id?: string;
            /**
             * @description The name of the monitor at the time of evaluation. Null if the monitor has since been deleted.
             * @example Customer complaint handling
             */
            monitor_name?: string | null;
            /**
             * @description The type of the monitor. Null if the monitor has since been deleted.
             * @example prompt
             */
            monitor_type?: string | null;
            /**
             * @description The evaluation outcome reported by the monitor.
             * @example flagged
             */
            result?: string;
            /**
             * @description The reasoning provided by the monitor for its result. May be null if no reasoning was generated.
             * @example The customer mentioned wanting a refund without resolution.
             */
            explanation?: string | null;
            /**
             * Format: date-time
             * @description The time the monitor evaluated this conversation. Null in the rare case the underlying record's timestamp is not yet set.
             * @example 1719493065
             */
            evaluated_at?: number | null;
        };
        /**
         * Conversation Part
         * @description A Conversation Part represents a message in the conversation.
         */
        conversation_part: {
            /**
             * @description Always conversation_part
             * @example conversation_part
             */
            type?: string;
            /**
             * @description The id representing the conversation part.
             * @example 3
             */
            id?: string;
            /**
             * @description The type of conversation part.
             * @example comment
             */
            part_type?: string;
            /**
             * @description The message body, which may contain HTML. For Twitter, this will show a generic message regarding why the body is obscured. In webhook payloads for API version 2.15+, this field returns plain text.
             * @example <p>Okay!</p>
             */
            body?: string | null;
            /**
             * Format: date-time
             * @description The time the conversation part was created.
             * @example 1663597223
             */
            created_at?: number;
            /**
             * Format: date-time
             * @description The last time the conversation part was updated.
             * @example 1663597260
             */
            updated_at?: number;
            /**
             * Format: date-time
             * @description The time the user was notified with the conversation part.
             * @example 1663597260
             */
            notified_at?: number;
            /** @description The id of the admin that was assigned the conversation by this conversation_part (null if there has been no change in assignment.) */
            assigned_to?: components["schemas"]["reference"];
            author?: components["schemas"]["conversation_part_author"];
            /**
             * Conversation part attachments
             * @description A list of attachments for the part.
             */
            attachments?: components["schemas"]["part_attachment"][];
            /**
             * @description The external id of the conversation part
             * @example abcd1234
             */
            external_id?: string | null;
            /**
             * @description Whether or not the conversation part has been redacted.
             * @example false
             */
            redacted?: boolean;
            email_message_metadata?: components["schemas"]["email_message_metadata"];
            metadata?: components["schemas"]["conversation_part_metadata"];
            /**
             * @description Indicates the current state of conversation when the conversation part was created.
             * @example open
             * @enum {string}
             */
            state?: "open" | "closed" | "snoozed";
            /** @description A list of tags objects associated with the conversation part. */
            tags?: components["schemas"]["tag_basic"][] | null;
            event_details?: components["schemas"]["event_details"];
            /**
             * @description The app package code if this part was created via API. null if the part was not created via API.
             * @example test-integration
             */
            app_package_code?: string | null;
        };
        /**
         * Conversation part author
         * @description The object who initiated the conversation, which can be a Contact, Admin or Team. Bots and campaigns send messages on behalf of Admins or Teams. For Twitter, this will be blank.
         */
        conversation_part_author: {
            /**
             * @description The type of the author
             * @example admin
             */
            type?: string;
            /**
             * @description The id of the author
             * @example 274
             */
            id?: string;
            /**
             * @description The name of the author
             * @example Operator
             */
            name?: string | null;
            /**
             * Format: email
             * @description The email of the author
             * @example operator+abcd1234@intercom.io
             */
            email?: string;
            /**
             * @description If this conversation part was sent by the AI Agent
             * @example true
             */
            from_ai_agent?: boolean;
            /**
             * @description If this conversation part body was generated by the AI Agent
             * @example false
             */
            is_ai_answer?: boolean;
        };
        /**
         * Conversation Part Metadata
         * @description Metadata for a conversation part
         */
        conversation_part_metadata: {
            /** @description The quick reply options sent by the Admin or bot, presented in this conversation part. */
            quick_reply_options?: ({
                /**
                 * @description The translations for the quick reply option.
                 * @example {
                 *       "en": "Hello",
                 *       "fr": "Bonjour"
                 *     }
                 */
                translations?: Record<string, unknown> | null;
            } & components["schemas"]["quick_reply_option"])[];
            /**
             * Format: uuid
             * @description The unique identifier for the quick reply option that was clicked by the end user.
             * @example 123e4567-e89b-12d3-a456-426614174000
             */
            quick_reply_uuid?: string;
        };
        /**
         * Conversation Parts
         * @description A list of Conversation Part objects for each part message in the conversation. This is only returned when Retrieving a Conversation, and ignored when Listing all Conversations. There is a limit of 500 parts.
         */
        conversation_parts: {
            /**
             * @example conversation_part.list
             * @enum {string}
             */
            type?: "conversation_part.list";
            /**
             * Conversation Parts
             * @description A list of Conversation Part objects for each part message in the conversation. This is only returned when Retrieving a Conversation, and ignored when Listing all Conversations. There is a limit of 500 parts.
             */
            conversation_parts?: components["schemas"]["conversation_part"][];
            /** @example 1 */
            total_count?: number;
        };
        /**
         * Conversation Rating
         * @description The Conversation Rating object which contains information on the rating and/or remark added by a Contact and the Admin assigned to the conversation.
         */
        conversation_rating: {
            /**
             * @description The rating, between 1 and 5, for the conversation.
             * @example 5
             */
            rating?: number;
            /**
             * @description An optional field to add a remark to correspond to the number rating
             * @example
             */
            remark?: string;
            /**
             * Format: date-time
             * @description The time the rating was requested in the conversation being rated.
             * @example 1671028894
             */
            created_at?: number;
            /**
             * Format: date-time
             * @description The time the rating was last updated.
             * @example 1671028894
             */
            updated_at?: number;
            contact?: components["schemas"]["contact_reference"];
            teammate?: components["schemas"]["reference"];
        } | null;
        /**
         * Conversation response time
         * @description Details of first response time of assigned team in seconds.
         */
        conversation_response_time: {
            /**
             * @description Id of the assigned team.
             * @example 100
             */
            team_id?: number;
            /**
             * @description Name of the assigned Team, null if team does not exist, Unassigned if no team is assigned.
             * @example Team One
             */
            team_name?: string;
            /**
             * @description First response time of assigned team in seconds.
             * @example 2310
             */
            response_time?: number;
        };
        /**
         * Conversation Scorecard
         * @description A QA scorecard result for this conversation. Returned in the `scorecards` array on conversation responses when `include_scorecards=true` is passed.
         */
        conversation_scorecard: {
            /**
             * @description The unique identifier of the scorecard definition.
             * @example 67890
             */
            scorecard_id?: string;
            /**
             * @description The unique identifier of the specific scorecard version that produced this result.
             * @example 67891
             */
            scorecard_version_id?: string;
            /**
             * @description The name of the scorecard.
             * @example Standard QA Review
             */
            name?: string;
            /**
             * @description The type of scorecard.
             * @example human
             */
            scorecard_type?: string;
            /**
             * @description Whether the conversation passed the scorecard. Null when the scorecard has not been scored.
             * @example true
             */
            passed?: boolean | null;
            /**
             * @description The numeric score for the scorecard. Null when the scorecard has not been scored.
             * @example 0.85
             */
            score?: number | null;
            /**
             * @description The numeric score produced by AI evaluation, if applicable. Null when not AI-scored.
             * @example 0.9
             */
            ai_score?: number | null;
            /**
             * Format: date-time
             * @description The time the scorecard was last evaluated. Null in the rare case the underlying record's timestamp is not yet set.
             * @example 1719493065
             */
            evaluated_at?: number | null;
            reviewed_teammate?: components["schemas"]["conversation_scorecard_reviewed_teammate"];
            /** @description Per-evaluator results within this scorecard. */
            evaluators?: components["schemas"]["conversation_scorecard_evaluator"][];
        };
        /**
         * Conversation Scorecard Evaluator
         * @description A single evaluator within a scorecard, including its result for this conversation.
         */
        conversation_scorecard_evaluator: {
            /**
             * @description The unique identifier of the evaluator (criterion) within the scorecard.
             * @example 54321
             */
            evaluator_id?: string;
            /** @description The evaluator's result for this conversation. Null if the evaluator was not scored. */
            result?: components["schemas"]["conversation_scorecard_evaluator_result"] | null;
        };
        /**
         * Conversation Scorecard Evaluator Result
         * @description The outcome of a single evaluator within a scorecard.
         */
        conversation_scorecard_evaluator_result: {
            /**
             * @description The evaluator's selected value (typically a label such as `pass`, `fail`, or a category identifier).
             * @example pass
             */
            value?: string | null;
            /**
             * @description The origin of the result (for example, `ai` or `human`).
             * @example ai
             */
            source?: string | null;
            /**
             * @description A free-text explanation of the result.
             * @example The agent acknowledged the issue and resolved it within the same response.
             */
            reasoning?: string | null;
            /**
             * @description Identifiers for structured reasons assigned to the result, if any.
             * @example [
             *       "101",
             *       "102"
             *     ]
             */
            reason_ids?: string[] | null;
            /**
             * @description Free-text entered by the reviewer to supplement or stand in for the structured `reason_ids` — typically captured when the reviewer selects an "Other" option or adds a custom note. Null when not provided.
             * @example Agent acknowledged the issue but missed the follow-up question about billing.
             */
            other_text?: string | null;
        };
        /**
         * Reviewed Teammate
         * @description The teammate (or AI agent) whose handling of the conversation was reviewed by this scorecard.
         */
        conversation_scorecard_reviewed_teammate: {
            /**
             * @description The kind of reviewee. `ai` if the conversation was handled by Fin or scored without a specific teammate; `admin` if a specific teammate was reviewed.
             * @example admin
             * @enum {string}
             */
            type?: "ai" | "admin";
            /**
             * @description The id of the admin who was reviewed. Present only when `type` is `admin`.
             * @example 991267715
             */
            admin_id?: string | null;
        };
        /**
         * Conversation source
         * @description The type of the conversation part that started this conversation. Can be Contact, Admin, Campaign, Automated or Operator initiated.
         */
        conversation_source: {
            /**
             * @description The origin of this conversation.
             * @example email
             */
            type?: string;
            /**
             * @description The id of the source message.
             * @example 3
             */
            id?: string | null;
            /**
             * @description How the conversation was initiated.
             * @example operator_initiated
             */
            delivered_as?: string;
            /** @description The recipients of the source message. Only present for email conversations. */
            recipients?: {
                /**
                 * @description The recipient type. One of `to`, `cc`, or `bcc`.
                 * @example to
                 */
                type?: string;
                /**
                 * Format: email
                 * @description The recipient email address.
                 * @example user@example.com
                 */
                email?: string;
                /**
                 * @description The reason this recipient was dropped, if applicable.
                 * @example null
                 */
                drop_reason?: string | null;
            }[] | null;
            /** @description The Reply-To header addresses of the source message, where a reply will be routed. Can differ from the sender's From address. Only present for email conversations. */
            reply_to?: {
                /**
                 * Format: email
                 * @description The Reply-To email address.
                 * @example replies@example.com
                 */
                email?: string;
                /**
                 * @description The display name associated with the Reply-To address.
                 * @example Support Team
                 */
                name?: string | null;
            }[] | null;
            /**
             * @description Optional. The message subject. For Twitter, this will show a generic message regarding why the subject is obscured. In webhook payloads for API version 2.15+, this field returns plain text.
             * @example
             */
            subject?: string;
            /**
             * @description The message body, which may contain HTML. For Twitter, this will show a generic message regarding why the body is obscured. In webhook payloads for API version 2.15+, this field returns plain text.
             * @example <p>Hey there!</p>
             */
            body?: string;
            author?: components["schemas"]["conversation_source_author"];
            /** @description A list of attachments for the part. */
            attachments?: components["schemas"]["part_attachment"][];
            /**
             * @description The URL where the conversation was started. For Twitter, Email, and Bots, this will be blank.
             * @example null
             */
            url?: string | null;
            /**
             * @description Whether or not the source message has been redacted. Only applicable for contact initiated messages.
             * @example false
             */
            redacted?: boolean;
            email_message_metadata?: components["schemas"]["source_email_message_metadata"];
        };
        /**
         * Conversation source author
         * @description The author who started the conversation. Can be a Contact, Admin, or Bot.
         */
        conversation_source_author: {
            /**
             * @description The type of the author.
             * @example admin
             */
            type?: string;
            /**
             * @description The id of the author.
             * @example 274
             */
            id?: string | null;
            /**
             * @description The name of the author.
             * @example Jane Doe
             */
            name?: string | null;
            /**
             * Format: email
             * @description The email of the author.
             * @example jane.doe@example.com
             */
            email?: string | null;
        };
        /**
         * Conversation statistics
         * @description A Statistics object containing all information required for reporting, with timestamps and calculated metrics.
         */
        conversation_statistics: {
            /** @example conversation_statistics */
            type?: string;
            /**
             * @description Duration until last assignment before first admin reply. In seconds.
             * @example 2310
             */
            time_to_assignment?: number;
            /**
             * @description Duration until first admin reply. Subtracts out of business hours. In seconds.
             * @example 2310
             */
            time_to_admin_reply?: number;
            /**
             * @description Duration until conversation was closed first time. Subtracts out of business hours. In seconds.
             * @example 2310
             */
            time_to_first_close?: number;
            /**
             * @description Duration until conversation was closed last time. Subtracts out of business hours. In seconds.
             * @example 2310
             */
            time_to_last_close?: number;
            /**
             * @description Median based on all admin replies after a contact reply. Subtracts out of business hours. In seconds.
             * @example 2310
             */
            median_time_to_reply?: number;
            /**
             * Format: date-time
             * @description Time of first text conversation part from a contact.
             * @example 1663597233
             */
            first_contact_reply_at?: number;
            /**
             * Format: date-time
             * @description Time of first assignment after first_contact_reply_at.
             * @example 1663597233
             */
            first_assignment_at?: number;
            /**
             * Format: date-time
             * @description Time of first admin reply after first_contact_reply_at.
             * @example 1663597233
             */
            first_admin_reply_at?: number;
            /**
             * Format: date-time
             * @description Time of first close after first_contact_reply_at.
             * @example 1663597233
             */
            first_close_at?: number;
            /**
             * Format: date-time
             * @description Time of last assignment after first_contact_reply_at.
             * @example 1663597233
             */
            last_assignment_at?: number;
            /**
             * Format: date-time
             * @description Time of first admin reply since most recent assignment.
             * @example 1663597233
             */
            last_assignment_admin_reply_at?: number;
            /**
             * Format: date-time
             * @description Time of the last conversation part from a contact.
             * @example 1663597233
             */
            last_contact_reply_at?: number;
            /**
             * Format: date-time
             * @description Time of the last conversation part from an admin.
             * @example 1663597233
             */
            last_admin_reply_at?: number;
            /**
             * Format: date-time
             * @description Time of the last conversation close.
             * @example 1663597233
             */
            last_close_at?: number;
            /**
             * @description The last admin who closed the conversation. Returns a reference to an Admin object.
             * @example c3po
             */
            last_closed_by_id?: string;
            /**
             * @description Number of reopens after first_contact_reply_at.
             * @example 1
             */
            count_reopens?: number;
            /**
             * @description Number of assignments after first_contact_reply_at.
             * @example 1
             */
            count_assignments?: number;
            /**
             * @description Total number of conversation parts.
             * @example 1
             */
            count_conversation_parts?: number;
            /** @description An array of conversation response time objects */
            assigned_team_first_response_time?: components["schemas"]["conversation_response_time"][];
            /** @description An array of conversation response time objects within office hours */
            assigned_team_first_response_time_in_office_hours?: components["schemas"]["conversation_response_time"][];
            /**
             * @description Time from conversation assignment to conversation close in seconds.
             * @example 2310
             */
            handling_time?: number;
            /**
             * @description Adjusted handling time for conversation in seconds. This is the active handling time excluding idle periods when teammates are not actively working on the conversation.
             * @example 1800
             */
            adjusted_handling_time?: number | null;
        } | null;
        /**
         * Conversation teammates
         * @description The list of teammates who participated in the conversation (wrote at least one conversation part).
         */
        conversation_teammates: {
            /**
             * @description The type of the object - `admin.list`.
             * @example admin.list
             */
            type?: string;
            /** @description The list of teammates who participated in the conversation (wrote at least one conversation part). */
            teammates?: components["schemas"]["reference"][];
        } | null;
        /**
         * Create Contact Request Payload
         * @description Payload to create a contact
         */
        create_contact_request: {
            /**
             * @description The role of the contact.
             * @example user
             */
            role?: string;
            /**
             * @description A unique identifier for the contact which is given to Intercom
             * @example 625e90fc55ab113b6d92175f
             */
            external_id?: string;
            /**
             * @description Whether the contact's email address has been verified. Set to true to indicate you have verified the contact owns this email address, or false to mark it as unverified. Must be supplied together with an email in the same request; sending it without an email returns a 400.
             * @example true
             */
            email_verified?: boolean | null;
            /**
             * @description The contacts email
             * @example jdoe@example.com
             */
            email?: string;
            /**
             * @description The contacts phone
             * @example +353871234567
             */
            phone?: string | null;
            /**
             * @description The contacts name
             * @example John Doe
             */
            name?: string | null;
            /**
             * @description An image URL containing the avatar of a contact
             * @example https://www.example.com/avatar_image.jpg
             */
            avatar?: string | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time specified for when a contact signed up.
             * @example 1571672154
             */
            signed_up_at?: number | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact was last seen (either where the Intercom Messenger was installed or when specified manually).
             * @example 1571672154
             */
            last_seen_at?: number | null;
            /**
             * @description The id of an admin that has been assigned account ownership of the contact
             * @example 321
             */
            owner_id?: string | null;
            /**
             * @description Whether the contact is unsubscribed from emails
             * @example true
             */
            unsubscribed_from_emails?: boolean | null;
            /**
             * @description The custom attributes which are set for the contact
             * @example {
             *       "paid_subscriber": true,
             *       "monthly_spend": 155.5,
             *       "team_mates": 1
             *     }
             */
            custom_attributes?: Record<string, unknown> | null;
        };
        /**
         * Cursor based pages
         * @description Cursor-based pagination is a technique used in the Intercom API to navigate through large amounts of data.
         *     A "cursor" or pointer is used to keep track of the current position in the result set, allowing the API to return the data in small chunks or "pages" as needed.
         */
        cursor_pages: {
            /**
             * @description the type of object `pages`.
             * @example pages
             * @enum {string}
             */
            type?: "pages";
            /**
             * @description The current page
             * @example 1
             */
            page?: number;
            next?: components["schemas"]["starting_after_paging"];
            /**
             * @description Number of results per page
             * @example 2
             */
            per_page?: number;
            /**
             * @description Total number of pages
             * @example 13
             */
            total_pages?: number;
        } | null;
        /**
         * Part type - custom_action_finished
         * @description Contains details about final status of the completed action for conversation part type <code>custom_action_finished</code>.
         */
        custom_action_finished: {
            action?: {
                /**
                 * @description Name of the action
                 * @example Jira Create Issue
                 */
                name?: string;
                /**
                 * @description Status of the action
                 * @example success
                 * @enum {string}
                 */
                result?: "success" | "failed";
            };
        };
        /**
         * Part type - custom_action_started
         * @description Contains details about name of the action that was initiated for conversation part type <code>custom_action_started</code>.
         */
        custom_action_started: {
            action?: {
                /**
                 * @description Name of the action
                 * @example Jira Create Issue
                 */
                name?: string;
            };
        };
        /**
         * Custom Attributes
         * @description An object containing the different custom attributes associated to the conversation as key-value pairs. For relationship attributes the value will be a list of custom object instance models. System-defined attributes such as "CX Score rating" and "CX Score explanation" may also be included.
         * @example {
         *       "paid_subscriber": true,
         *       "monthly_spend": 155.5,
         *       "team_mates": 9,
         *       "start_date_iso8601": "2023-03-04T09:46:14Z",
         *       "end_date_timestamp": 1677923174,
         *       "CX Score rating": 4,
         *       "CX Score explanation": "The conversation was resolved quickly and the customer expressed satisfaction with the outcome."
         *     }
         */
        custom_attributes: {
            [key: string]: string | number | components["schemas"]["datetime"] | components["schemas"]["custom_object_instance_list"];
        };
        /**
         * Custom Object Instance
         * @description A Custom Object Instance represents an instance of a custom object type. This allows you to create and set custom attributes to store data about your customers that is not already captured by Intercom. The parent object includes recommended default attributes and you can add your own custom attributes.
         */
        custom_object_instance: {
            /**
             * @description The Intercom defined id representing the custom object instance.
             * @example 16032025
             */
            id?: string;
            /**
             * @description The id you have defined for the custom object instance.
             * @example 0001d1c1e65a7a19e9f59ae2
             */
            external_id?: string;
            /**
             * Format: date-time
             * @description The time when the Custom Object instance was created in the external system it originated from.
             * @example 1571672154
             */
            external_created_at?: number | null;
            /**
             * Format: date-time
             * @description The time when the Custom Object instance was last updated in the external system it originated from.
             * @example 1571672154
             */
            external_updated_at?: number | null;
            /**
             * Format: date-time
             * @description The time the attribute was created as a UTC Unix timestamp
             * @example 1671028894
             */
            created_at?: number;
            /**
             * Format: date-time
             * @description The time the attribute was last updated as a UTC Unix timestamp
             * @example 1671028894
             */
            updated_at?: number;
            /**
             * @description The identifier of the custom object type that defines the structure of the custom object instance.
             * @example Order
             */
            type?: string;
            /** @description The custom attributes you have set on the custom object instance. */
            custom_attributes?: {
                [key: string]: string;
            };
        } | null;
        /**
         * Custom Object Instances
         * @description The list of associated custom object instances for a given reference attribute on the parent object.
         */
        custom_object_instance_list: {
            /** @example order.list */
            type?: string;
            /** @description The list of associated custom object instances for a given reference attribute on the parent object. */
            instances?: components["schemas"]["custom_object_instance"][];
        };
        datetime: string | number;
        /**
         * Email Address Header
         * @description Contains data for an email address header for a conversation part that was sent as an email.
         */
        email_address_header: {
            /**
             * @description The type of email address header
             * @example from
             */
            type?: string;
            /**
             * @description The email address
             * @example jdoe@example.com
             */
            email_address?: string;
            /**
             * @description The name associated with the email address
             * @example Joe Example
             */
            name?: string | null;
        };
        /**
         * Email Message Metadata
         * @description Contains metadata if the message was sent as an email
         */
        email_message_metadata: {
            /**
             * @description The subject of the email
             * @example Question about my order
             */
            subject?: string;
            /**
             * Email Address Headers
             * @description A list of an email address headers.
             */
            email_address_headers?: components["schemas"]["email_address_header"][];
            /**
             * @description The unique identifier for the email message as specified in the Message-ID header
             * @example <CADKw7xrXzqSn8v3mP8K8Q8yZ6K8Q8yZ6@mail.gmail.com>
             */
            message_id?: string | null;
        };
        /**
         * Error
         * @description The API will return an Error List for a failed request, which will contain one or more Error objects.
         */
        error: {
            /**
             * @description The type is error.list
             * @example error.list
             */
            type: string;
            /**
             * Format: uuid
             * @example f93ecfa8-d08a-4325-8694-89aeb89c8f85
             */
            request_id?: string | null;
            /** @description An array of one or more error objects */
            errors: {
                /**
                 * @description A string indicating the kind of error, used to further qualify the HTTP response code
                 * @example unauthorized
                 */
                code: string;
                /**
                 * @description Optional. Human readable description of the error.
                 * @example Access Token Invalid
                 */
                message?: string | null;
                /**
                 * @description Optional. Used to identify a particular field or query parameter that was in error.
                 * @example email
                 */
                field?: string | null;
            }[];
        };
        /** Event details of Workflow & actions */
        event_details: components["schemas"]["conversation_attribute_updated_by_workflow"] | components["schemas"]["conversation_attribute_updated_by_admin"] | components["schemas"]["conversation_attribute_updated_by_user"] | components["schemas"]["custom_action_started"] | components["schemas"]["custom_action_finished"] | components["schemas"]["operator_workflow_event"];
        /**
         * @description Intercom API version.</br>By default, it's equal to the version set in the app package.
         * @default 2.16
         * @example 2.16
         * @enum {string}
         */
        intercom_version: "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "2.0" | "2.1" | "2.2" | "2.3" | "2.4" | "2.5" | "2.6" | "2.7" | "2.8" | "2.9" | "2.10" | "2.11" | "2.12" | "2.13" | "2.14" | "2.15" | "2.16";
        /**
         * Linked Object
         * @description A linked conversation or ticket.
         */
        linked_object: {
            /**
             * @description ticket or conversation
             * @example ticket
             * @enum {string}
             */
            type?: "ticket" | "conversation";
            /**
             * @description The ID of the linked object
             * @example 7583
             */
            id?: string;
            /**
             * @description Category of the Linked Ticket Object.
             * @example Customer
             * @enum {string|null}
             */
            category?: "Customer" | "Back-office" | "Tracker" | null;
        };
        /**
         * Linked Objects
         * @description An object containing metadata about linked conversations and linked tickets. Up to 1000 can be returned.
         */
        linked_object_list: {
            /**
             * @description Always list.
             * @example list
             * @enum {string}
             */
            type?: "list";
            /**
             * @description The total number of linked objects.
             * @example 100
             */
            total_count?: number;
            /**
             * @description Whether or not there are more linked objects than returned.
             * @example false
             */
            has_more?: boolean;
            /** @description An array containing the linked conversations and linked tickets. */
            data?: components["schemas"]["linked_object"][];
        };
        /**
         * Merge History Item
         * @description A record of a contact that was merged into another contact.
         */
        merge_history_item: {
            /**
             * @description The type of object.
             * @example merge_history
             */
            type?: string;
            /**
             * @description The Intercom ID of the contact that was merged into this contact.
             * @example 5ba682d23d7cf92bef87bfd3
             */
            source_contact_id?: string;
            /**
             * @description The role of the contact that was merged in.
             * @example lead
             * @enum {string}
             */
            source_contact_role?: "lead" | "user";
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the merge occurred.
             * @example 1571672154
             */
            merged_at?: number | null;
        };
        /**
         * Multiple Filter Search Request
         * @description Search using Intercoms Search APIs with more than one filter.
         */
        multiple_filter_search_request: {
            /**
             * @description An operator to allow boolean inspection between multiple fields.
             * @example AND
             * @enum {string}
             */
            operator?: "AND" | "OR";
            value?: components["schemas"]["multiple_filter_search_request"][] | components["schemas"]["single_filter_search_request"][];
        };
        /**
         * Part type - operator_workflow_event
         * @description Contains details about name of the workflow for conversation part type <code>operator_workflow_event</code>.
         */
        operator_workflow_event: {
            workflow?: {
                /**
                 * @description The name of the workflow
                 * @example Custom Bot 1
                 */
                name?: string;
            };
            event?: {
                /**
                 * @description Type of the workflow event initiated
                 * @example wait_finished
                 */
                type?: string;
                /**
                 * @description Result of the workflow event
                 * @example Finsihed waiting
                 */
                result?: string;
            };
        };
        /**
         * Part attachment
         * @description The file attached to a part
         */
        part_attachment: {
            /**
             * @description The type of attachment
             * @example upload
             */
            type?: string;
            /**
             * @description The name of the attachment
             * @example example.png
             */
            name?: string;
            /**
             * @description The URL of the attachment
             * @example https://picsum.photos/200/300
             */
            url?: string;
            /**
             * @description The content type of the attachment
             * @example image/png
             */
            content_type?: string;
            /**
             * @description The size of the attachment
             * @example 100
             */
            filesize?: number;
            /**
             * @description The width of the attachment
             * @example 100
             */
            width?: number;
            /**
             * @description The height of the attachment
             * @example 100
             */
            height?: number;
        };
        /** Quick Reply Option */
        quick_reply_option: {
            /** @description The text to display in this quick reply option. */
            text: string;
            /**
             * Format: uuid
             * @description A unique identifier for this quick reply option. This value will be available within the metadata of the comment conversation part that is created when a user clicks on this reply option.
             */
            uuid: string;
        };
        /**
         * Reference
         * @description reference to another object
         */
        reference: {
            /** @example contact */
            type?: string;
            /** @example 1a2b3c */
            id?: string | null;
        };
        /**
         * Sales Agent
         * @description Data related to Sales Agent involvement in the conversation.
         */
        sales_agent: {
            /**
             * @description The fixed outcome of the sales agent interaction, used for billing and tracking.
             * @example qualified
             * @enum {string|null}
             */
            outcome?: "qualified" | "disqualified" | "product_discovery" | "escalated_to_support" | "spam" | null;
            /**
             * @description The identifier of the user-defined routing outcome selected by the sales agent.
             * @example enterprise_sales
             */
            routing_outcome?: string | null;
            /**
             * @description A flat key-value map of memory fields collected by the sales agent during the conversation.
             * @example {
             *       "email": "user@example.com",
             *       "company.name": "Acme Inc"
             *     }
             */
            collected_data?: {
                [key: string]: string;
            } | null;
        };
        /**
         * Search data
         * @description Search using Intercoms Search APIs.
         */
        search_request: {
            query: components["schemas"]["single_filter_search_request"] | components["schemas"]["multiple_filter_search_request"];
            pagination?: components["schemas"]["starting_after_paging"];
        };
        /**
         * Segment
         * @description A segment is a group of your contacts defined by the rules that you set.
         */
        segment: {
            /**
             * @description The type of object.
             * @example segment
             * @enum {string}
             */
            type?: "segment";
            /**
             * @description The unique identifier representing the segment.
             * @example 56203d253cba154d39010062
             */
            id?: string;
            /**
             * @description The name of the segment.
             * @example Active
             */
            name?: string;
            /**
             * @description The time the segment was created.
             * @example 1394621988
             */
            created_at?: number;
            /**
             * @description The time the segment was updated.
             * @example 1394622004
             */
            updated_at?: number;
            /**
             * @description Type of the contact: contact (lead) or user.
             * @example contact
             * @enum {string}
             */
            person_type?: "contact" | "user";
            /**
             * @description The number of items in the user segment. It's returned when `include_count=true` is included in the request.
             * @example 3
             */
            count?: number | null;
        };
        /**
         * Single Filter Search Request
         * @description Search using Intercoms Search APIs with a single filter.
         */
        single_filter_search_request: {
            /**
             * @description The accepted field that you want to search on.
             * @example created_at
             */
            field?: string;
            /**
             * @description The accepted operators you can use to define how you want to search for the value. Operator support depends on the field's data type. The breakdown below is for Contacts search; the other search endpoints that share this schema accept a different set per field:
             *     - `string` fields: `=`, `!=`, `IN`, `NIN`, `~`, `!~`, `^`, `$`
             *     - `tag_id`: `=` and `!=` only. Every other operator returns an error.
             *     - `boolean` fields: `=`, `!=`, `IN`, `NIN`
             *     - `integer` fields: `=`, `!=`, `IN`, `NIN`, `<`, `>`, `<=`, `>=`
             *     - `date` fields (all standard timestamp attributes and date custom attributes): `=`, `<`, `>` only. `!=`, `<=`, `>=`, `IN`, and `NIN` are not supported and return an error.
             * @example >
             * @enum {string}
             */
            operator?: "=" | "!=" | "IN" | "NIN" | "<" | "<=" | ">" | ">=" | "~" | "!~" | "^" | "$";
            /**
             * @description The value that you want to search on.
             * @example 73732934
             */
            value?: (string | number | boolean | (string | number)[]) | null;
        };
        /**
         * Applied SLA
         * @description The SLA Applied object contains the details for which SLA has been applied to this conversation.
         *     Important: if there are any canceled sla_events for the conversation - meaning an SLA has been manually removed from a conversation, the sla_status will always be returned as null.
         */
        sla_applied: {
            /**
             * @description object type
             * @example conversation_sla_summary
             */
            type?: string;
            /**
             * @description The name of the SLA as given by the teammate when it was created.
             * @example
             */
            sla_name?: string;
            /**
             * @description SLA statuses:
             *                 - `hit`: If there’s at least one hit event in the underlying sla_events table, and no “missed” or “canceled” events for the conversation.
             *                 - `missed`: If there are any missed sla_events for the conversation and no canceled events. If there’s even a single missed sla event, the status will always be missed. A missed status is not applied when the SLA expires, only the next time a teammate replies.
             *                 - `active`: An SLA has been applied to a conversation, but has not yet been fulfilled. SLA status is active only if there are no “hit, “missed”, or “canceled” events.
             * @example hit
             * @enum {string}
             */
            sla_status?: "hit" | "missed" | "cancelled" | "active";
        } | null;
        /**
         * Social Profile
         * @description A Social Profile allows you to label your contacts, companies, and conversations and list them using that Social Profile.
         */
        social_profile: {
            /**
             * @description value is "social_profile"
             * @example social_profile
             */
            type?: string;
            /**
             * @description The name of the Social media profile
             * @example Facebook
             */
            name?: string;
            /**
             * Format: uri
             * @description The name of the Social media profile
             * @example http://twitter.com/th1sland
             */
            url?: string;
        };
        /**
         * Email Message Metadata
         * @description Contains metadata if the message was sent as an email
         */
        source_email_message_metadata: {
            /**
             * @description The unique identifier for the email message as specified in the Message-ID header
             * @example <CADKw7xrXzqSn8v3mP8K8Q8yZ6K8Q8yZ6@mail.gmail.com>
             */
            message_id?: string | null;
            /**
             * @description The subject of the email
             * @example Question about my order
             */
            subject?: string;
            /**
             * Email Address Headers
             * @description A list of an email address headers.
             */
            email_address_headers?: components["schemas"]["email_address_header"][];
            /**
             * @description The HTML content of any quoted or forwarded email history from the initial inbound message
             * @example <div><span>On Jan 28, wrote:</span><blockquote>Previous thread</blockquote></div>
             */
            history?: string;
        };
        /** Pagination: Starting After */
        starting_after_paging: {
            /**
             * @description The number of results to fetch per page.
             * @example 2
             */
            per_page?: number;
            /**
             * @description The cursor to use in the next request to get the next page of results.
             * @example your-cursor-from-response
             */
            starting_after?: string | null;
        } | null;
        /**
         * Tag
         * @description A tag allows you to label your contacts, companies, and conversations and list them using that tag.
         */
        tag: {
            /**
             * @description value is "tag"
             * @example tag
             */
            type?: string;
            /**
             * @description The id of the tag
             * @example 123456
             */
            id?: string;
            /**
             * @description The name of the tag
             * @example Test tag
             */
            name?: string;
            /**
             * Format: date-time
             * @description The time when the tag was applied to the object. Only present when the tag is returned as part of a tagging operation on a contact, conversation, or ticket.
             * @example 1663597223
             */
            applied_at?: number | null;
            /** @description The admin who applied the tag. Only present when the tag is returned as part of a tagging operation on a contact, conversation, or ticket. */
            applied_by?: components["schemas"]["reference"] | null;
        };
        /**
         * Tag
         * @description A tag allows you to label your contacts, companies, and conversations and list them using that tag.
         */
        tag_basic: {
            /**
             * @description value is "tag"
             * @example tag
             */
            type?: string;
            /**
             * @description The id of the tag
             * @example 123456
             */
            id?: string;
            /**
             * @description The name of the tag
             * @example Test tag
             */
            name?: string;
        };
        /**
         * Tags
         * @description A list of tags objects associated with a conversation
         */
        tags: {
            /**
             * @description The type of the object
             * @example tag.list
             * @enum {string}
             */
            type?: "tag.list";
            /** @description A list of tags objects associated with the conversation. */
            tags?: components["schemas"]["tag"][];
        };
        /**
         * Team Priority Level
         * @description Admin priority levels for teams
         */
        team_priority_level: {
            /**
             * @description The primary team ids for the team
             * @example [
             *       814865
             *     ]
             */
            primary_team_ids?: number[] | null;
            /**
             * @description The secondary team ids for the team
             * @example [
             *       493881
             *     ]
             */
            secondary_team_ids?: number[] | null;
        } | null;
        /**
         * Update Contact Request Payload
         * @description You can update a contact
         */
        update_contact_request: {
            /** @description The role of the contact. */
            role?: string;
            /** @description A unique identifier for the contact which is given to Intercom */
            external_id?: string;
            /**
             * @description The contacts email
             * @example jdoe@example.com
             */
            email?: string;
            /**
             * @description Whether the contact's email address has been verified. Set to true to indicate you have verified the contact owns this email address, or false to mark it as unverified. Must be supplied together with an email in the same request; sending it without an email returns a 400.
             * @example true
             */
            email_verified?: boolean | null;
            /**
             * @description The contacts phone
             * @example +353871234567
             */
            phone?: string | null;
            /**
             * @description The contacts name
             * @example John Doe
             */
            name?: string | null;
            /**
             * @description An image URL containing the avatar of a contact
             * @example https://www.example.com/avatar_image.jpg
             */
            avatar?: string | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time specified for when a contact signed up.
             * @example 1571672154
             */
            signed_up_at?: number | null;
            /**
             * Format: date-time
             * @description (Unix timestamp in seconds) The time when the contact was last seen (either where the Intercom Messenger was installed or when specified manually).
             * @example 1571672154
             */
            last_seen_at?: number | null;
            /**
             * @description The id of an admin that has been assigned account ownership of the contact
             * @example 321
             */
            owner_id?: string | null;
            /**
             * @description Whether the contact is unsubscribed from emails
             * @example true
             */
            unsubscribed_from_emails?: boolean | null;
            /** @description The custom attributes which are set for the contact */
            custom_attributes?: Record<string, unknown> | null;
        };
        /** Create Data Attribute Request */
        create_data_attribute_request: {
            /**
             * @description The name of the data attribute.
             * @example My Data Attribute
             */
            name: string;
            /**
             * @description The model that the data attribute belongs to.
             * @example contact
             * @enum {string}
             */
            model: "contact" | "company";
            /**
             * @description The readable description you see in the UI for the attribute.
             * @example My Data Attribute Description
             */
            description?: string;
            /**
             * @description Can this attribute be updated by the Messenger
             * @example false
             */
            messenger_writable?: boolean;
        } & ({
            /** @enum {unknown} */
            data_type?: "options";
            /**
             * @description Array of objects representing the options of the list, with `value` as the key and the option as the value. At least two options are required.
             * @example [
             *       {
             *         "value": "1-10"
             *       },
             *       {
             *         "value": "11-50"
             *       }
             *     ]
             */
            options: {
                value?: string;
            }[];
        } | {
            /** @enum {unknown} */
            data_type?: "string" | "integer" | "float" | "boolean" | "datetime" | "date";
        });
        /** Create Data Event Request */
        create_data_event_request: {
            /**
             * @description The name of the event that occurred. This is presented to your App's admins when filtering and creating segments - a good event name is typically a past tense 'verb-noun' combination, to improve readability, for example `updated-plan`.
             * @example invited-friend
             */
            event_name?: string;
            /**
             * Format: date-time
             * @description The time the event occurred as a UTC Unix timestamp
             * @example 1671028894
             */
            created_at?: number;
            /**
             * @description Your identifier for the user.
             * @example 314159
             */
            user_id?: string;
            /**
             * @description The unique identifier for the contact (lead or user) which is given by Intercom.
             * @example 8a88a590-e1c3-41e2-a502-e0649dbf721c
             */
            id?: string;
            /**
             * @description An email address for your user. An email should only be used where your application uses email to uniquely identify users.
             * @example frodo.baggins@example.com
             */
            email?: string;
            /**
             * @description Optional metadata about the event.
             * @example {
             *       "invite_code": "ADDAFRIEND"
             *     }
             */
            metadata?: {
                [key: string]: string;
            };
        };
        /**
         * Data Attribute
         * @description Data Attributes are metadata used to describe your contact and company models. These include standard and custom attributes. By using the data attributes endpoint, you can get the global list of attributes for your workspace, as well as create and archive custom attributes.
         */
        data_attribute: {
            /**
             * @description Value is `data_attribute`.
             * @example data_attribute
             * @enum {string}
             */
            type?: "data_attribute";
            /**
             * @description The unique identifier for the data attribute which is given by Intercom. Only available for custom attributes.
             * @example 12878
             */
            id?: number;
            /**
             * @description Value is `contact` for user/lead attributes and `company` for company attributes.
             * @example contact
             * @enum {string}
             */
            model?: "contact" | "company";
            /**
             * @description Name of the attribute.
             * @example paid_subscriber
             */
            name?: string;
            /**
             * @description Full name of the attribute. Should match the name unless it's a nested attribute. We can split full_name on `.` to access nested user object values.
             * @example custom_attributes.paid_subscriber
             */
            full_name?: string;
            /**
             * @description Readable name of the attribute (i.e. name you see in the UI)
             * @example Paid Subscriber
             */
            label?: string;
            /**
             * @description Readable description of the attribute.
             * @example Whether the user is a paid subscriber.
             */
            description?: string;
            /**
             * @description The data type of the attribute.
             * @example boolean
             * @enum {string}
             */
            data_type?: "string" | "integer" | "float" | "boolean" | "date";
            /**
             * @description List of predefined options for attribute value.
             * @example [
             *       "true",
             *       "false"
             *     ]
             */
            options?: string[];
            /**
             * @description Can this attribute be updated through API
             * @example true
             */
            api_writable?: boolean;
            /**
             * @description Can this attribute be updated by the Messenger
             * @example false
             */
            messenger_writable?: boolean;
            /**
             * @description Can this attribute be updated in the UI
             * @example true
             */
            ui_writable?: boolean;
            /**
             * @description Set to true if this is a CDA
             * @example true
             */
            custom?: boolean;
            /**
             * @description Is this attribute archived. (Only applicable to CDAs)
             * @example false
             */
            archived?: boolean;
            /**
             * Format: date-time
             * @description The time the attribute was created as a UTC Unix timestamp
             * @example 1671028894
             */
            created_at?: number;
            /**
             * Format: date-time
             * @description The time the attribute was last updated as a UTC Unix timestamp
             * @example 1671028894
             */
            updated_at?: number;
            /**
             * @description Teammate who created the attribute. Only applicable to CDAs
             * @example 5712945
             */
            admin_id?: string;
        };
        /**
         * Data Attribute List
         * @description A list of all data attributes belonging to a workspace for contacts or companies.
         */
        data_attribute_list: {
            /**
             * @description The type of the object
             * @example list
             * @enum {string}
             */
            type?: "list";
            /** @description A list of data attributes */
            data?: components["schemas"]["data_attribute"][];
        };
        /**
         * Data Event
         * @description Data events are used to notify Intercom of changes to your data.
         */
        data_event: {
            /**
             * @description The type of the object
             * @example event
             * @enum {string}
             */
            type?: "event";
            /**
             * @description The name of the event that occurred. This is presented to your App's admins when filtering and creating segments - a good event name is typically a past tense 'verb-noun' combination, to improve readability, for example `updated-plan`.
             * @example invited-friend
             */
            event_name: string;
            /**
             * Format: date-time
             * @description The time the event occurred as a UTC Unix timestamp
             * @example 1671028894
             */
            created_at: number;
            /**
             * @description Your identifier for the user.
             * @example 314159
             */
            user_id?: string;
            /**
             * @description Your identifier for a lead or a user.
             * @example 8a88a590-e1c3-41e2-a502-e0649dbf721c
             */
            id?: string;
            /**
             * @description The Intercom identifier for the user.
             * @example 63a0979a5eeebeaf28dd56ba
             */
            intercom_user_id?: string;
            /**
             * @description An email address for your user. An email should only be used where your application uses email to uniquely identify users.
             * @example frodo.baggins@example.com
             */
            email?: string;
            /**
             * @description Optional metadata about the event.
             * @example {
             *       "invite_code": "ADDAFRIEND"
             *     }
             */
            metadata?: {
                [key: string]: string;
            };
        };
        /**
         * Data Event List
         * @description This will return a list of data events for the App.
         */
        data_event_list: {
            /**
             * @description The type of the object
             * @example event.list
             * @enum {string}
             */
            type?: "event.list";
            /** @description A list of data events */
            events?: components["schemas"]["data_event"][];
            /** @description Pagination */
            pages?: {
                /** @example https://api.intercom.io/events?per_page=2&before=1389913941064&intercom_user_id=63a0979a5eeebeaf28dd56ba&type=user" */
                next?: string;
                /** @example https://api.intercom.io/events?intercom_user_id=63a0979a5eeebeaf28dd56ba&type=user&since=1389913941065 */
                since?: string;
            };
        };
        /**
         * Data Event Summary
         * @description This will return a summary of data events for the App.
         */
        data_event_summary: {
            /**
             * @description The type of the object
             * @example event.summary
             * @enum {string}
             */
            type?: "event.summary";
            /**
             * @description The email address of the user
             * @example Sam.Sung@example.com
             */
            email?: string;
            /**
             * @description The Intercom user ID of the user
             * @example 63a0979a5eeebeaf28dd56ba
             */
            intercom_user_id?: string;
            /**
             * @description The user ID of the user
             * @example 62b997f288e14803c5006932
             */
            user_id?: string;
            /** @description A summary of data events */
            events?: components["schemas"]["data_event_summary_item"][];
        };
        /**
         * Data Event Summary Item
         * @description This will return a summary of a data event for the App.
         */
        data_event_summary_item: {
            /**
             * @description The name of the event
             * @example placed-order
             */
            name?: string;
            /**
             * @description The first time the event was sent
             * @example 2014-01-16T23:12:21.000+00:00
             */
            first?: string;
            /**
             * @description The last time the event was sent
             * @example 2014-01-16T23:12:21.000+00:00
             */
            last?: string;
            /**
             * @description The number of times the event was sent
             * @example 1
             */
            count?: number;
            /**
             * @description The description of the event
             * @example A user placed an order
             */
            description?: string;
        } | null;
        /**
         * Merge contact data
         * @description Merge contact data.
         */
        merge_contacts_request: {
            /**
             * @description The unique identifier for the contact to merge away from. Must be a lead.
             * @example 5d70dd30de4efd54f42fd526
             */
            from: string;
            /**
             * @description The unique identifier for the contact to merge into. Must be a user.
             * @example 5ba682d23d7cf92bef87bfd4
             */
            into: string;
            /**
             * @description Set to `true` to merge two contacts that are not duplicates (they share no matching email or phone).
             * @example true
             */
            skip_duplicate_validation?: boolean;
        };
        /** Update Data Attribute Request */
        update_data_attribute_request: {
            /**
             * @description Whether the attribute is to be archived or not.
             * @example false
             */
            archived?: boolean;
            /**
             * @description The readable description you see in the UI for the attribute.
             * @example My Data Attribute Description
             */
            description?: string;
            /**
             * @description Can this attribute be updated by the Messenger
             * @example false
             */
            messenger_writable?: boolean;
        } & ({
            /**
             * @description Array of objects representing the options of the list, with `value` as the key and the option as the value. At least two options are required.
             * @example [
             *       {
             *         "value": "1-10"
             *       },
             *       {
             *         "value": "11-50"
             *       }
             *     ]
             */
            options: {
                value?: string;
            }[];
        } | unknown);
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    CreateContact: {
        parameters: {
            query?: never;
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["create_contact_request"];
            };
        };
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description If the user has enabled push messaging.
                         * @example true
                         */
                        enabled_push_messaging?: boolean | null;
                    } & components["schemas"]["contact"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    SearchContacts: {
        parameters: {
            query?: {
                /** @description Pass `true` to include a `merge_history` array on each contact in the response. Only returned for contacts with a `user` role. */
                include_merge_history?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["contact_search_request"];
            };
        };
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["contact_list"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    ShowContact: {
        parameters: {
            query?: {
                /** @description Pass `true` to include the contact's merge history in the response. Only returned for contacts with a `user` role. */
                include_merge_history?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path: {
                /**
                 * @description contact_id
                 * @example 63a07ddf05a32042dffac965
                 */
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description If the user has enabled push messaging.
                         * @example true
                         */
                        enabled_push_messaging?: boolean | null;
                    } & components["schemas"]["contact"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Contact Merged */
            410: {
                headers: {
                    /** @description Link to the canonical (merged-into) contact. Format: `</contacts/{id}>; rel="canonical"` */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    UpdateContact: {
        parameters: {
            query?: {
                /** @description Pass `true` to include the contact's merge history in the response. Only returned for contacts with a `user` role. */
                include_merge_history?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path: {
                /**
                 * @description id
                 * @example 63a07ddf05a32042dffac965
                 */
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["update_contact_request"];
            };
        };
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description If the user has enabled push messaging.
                         * @example true
                         */
                        enabled_push_messaging?: boolean | null;
                    } & components["schemas"]["contact"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    DeleteContact: {
        parameters: {
            query?: never;
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path: {
                /** @description contact_id */
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["contact_deleted"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    ArchiveContact: {
        parameters: {
            query?: never;
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path: {
                /**
                 * @description contact_id
                 * @example 63a07ddf05a32042dffac965
                 */
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["contact_archived"];
                };
            };
        };
    };
    UnarchiveContact: {
        parameters: {
            query?: never;
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path: {
                /**
                 * @description contact_id
                 * @example 63a07ddf05a32042dffac965
                 */
                contact_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["contact_unarchived"];
                };
            };
        };
    };
    ShowContactByExternalId: {
        parameters: {
            query?: {
                /** @description Pass `true` to include the contact's merge history in the response. Only returned for contacts with a `user` role. */
                include_merge_history?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path: {
                /**
                 * @description The external ID of the user that you want to retrieve
                 * @example cdd29344-5e0c-4ef0-ac56-f9ba2979bc27
                 */
                external_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description If the user has enabled push messaging.
                         * @example true
                         */
                        enabled_push_messaging?: boolean | null;
                    } & components["schemas"]["contact"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Contact Merged */
            410: {
                headers: {
                    /** @description Link to the canonical (merged-into) contact. Format: `</contacts/{id}>; rel="canonical"` */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    searchConversations: {
        parameters: {
            query?: {
                /**
                 * @description If set to true, the response will include a `monitor_evaluations` array on each conversation with any QA monitor results that flagged it.
                 * @example true
                 */
                include_monitors?: boolean;
                /**
                 * @description If set to true, the response will include a `scorecards` array on each conversation with any QA scorecard results.
                 * @example true
                 */
                include_scorecards?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["search_request"];
            };
        };
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["conversation_list"];
                };
            };
        };
    };
    retrieveConversation: {
        parameters: {
            query?: {
                /**
                 * @description Set to plaintext to retrieve conversation messages in plain text. This affects both the body and subject fields. Inline links are rendered as `label (url)`, preserving the link URL alongside the visible text.
                 * @example plaintext
                 */
                display_as?: string;
                /**
                 * @description If set to true, conversation parts will be translated to the detected language of the conversation.
                 * @example true
                 */
                include_translations?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path: {
                /**
                 * @description The id of the conversation to target
                 * @example 123
                 */
                conversation_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description conversation found */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["conversation"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description API plan restricted */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    identifyAdmin: {
        parameters: {
            query?: never;
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["admin_with_app"];
                };
            };
        };
    };
    lisDataAttributes: {
        parameters: {
            query?: {
                /**
                 * @description Specify the data attribute model to return. For conversation attributes, use GET /conversations/attributes instead.
                 * @example company
                 */
                model?: "contact" | "company";
                /**
                 * @description Include archived attributes in the list. By default we return only non archived data attributes.
                 * @example false
                 */
                include_archived?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["data_attribute_list"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unprocessable entity - model=conversation is no longer supported */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    createDataAttribute: {
        parameters: {
            query?: never;
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["create_data_attribute_request"];
            };
        };
        responses: {
            /** @description Successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["data_attribute"];
                };
            };
            /** @description Too few options for list */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    updateDataAttribute: {
        parameters: {
            query?: never;
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path: {
                /**
                 * @description The data attribute id
                 * @example 1
                 */
                data_attribute_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["update_data_attribute_request"];
            };
        };
        responses: {
            /** @description Successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["data_attribute"];
                };
            };
            /** @description Too few options in list */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Attribute Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Has Dependant Object */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    lisDataEvents: {
        parameters: {
            query: {
                filter: {
                    user_id: string;
                } | {
                    intercom_user_id: string;
                } | {
                    email: string;
                };
                /** @description The value must be user */
                type: string;
                /** @description summary flag */
                summary?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["data_event_summary"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    createDataEvent: {
        parameters: {
            query?: never;
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["create_data_event_request"];
            };
        };
        responses: {
            /** @description successful */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    MergeContact: {
        parameters: {
            query?: {
                /** @description Pass `true` to include the merge history of the resulting contact in the response. Only returned for contacts with a `user` role. */
                include_merge_history?: boolean;
            };
            header?: {
                "Intercom-Version"?: components["schemas"]["intercom_version"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["merge_contacts_request"];
            };
        };
        responses: {
            /** @description successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description If the user has enabled push messaging.
                         * @example true
                         */
                        enabled_push_messaging?: boolean | null;
                    } & components["schemas"]["contact"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
}
