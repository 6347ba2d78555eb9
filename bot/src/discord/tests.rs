//! The payloads the e2e tests send (posted to the endpoint, or pushed by the fake gateway) are
//! real interactions to serenity: each parses into the variant the dispatcher routes on.

use serenity::model::application::Interaction;
use usher_testkit::discord;

fn parse(value: &serde_json::Value) -> Interaction {
    serde_json::from_value(value.clone()).expect("serenity parses the interaction")
}

#[test]
fn test_payloads_parse_as_serenity_interactions() {
    assert!(matches!(parse(&discord::ping()), Interaction::Ping(_)));
    let typed = discord::request_command("movie", "dune", true, 7, "de");
    let Interaction::Autocomplete(cmd) = parse(&typed) else {
        panic!("autocomplete");
    };
    assert_eq!(
        cmd.data.autocomplete().map(|a| a.value.to_owned()),
        Some("dune".into())
    );
    assert_eq!(
        cmd.user.id.get(),
        7,
        "the member's user is the interaction's user"
    );
    let chosen = discord::request_command("tv", "1396", false, 7, "en-US");
    assert!(matches!(parse(&chosen), Interaction::Command(_)));
    let message = discord::message_with(
        &serde_json::json!([{ "title": "Dune" }]),
        &serde_json::json!([]),
    );
    let press = discord::button_press("abc", 8, "ann", &message);
    let Interaction::Component(press) = parse(&press) else {
        panic!("component");
    };
    assert_eq!(press.data.custom_id, "abc");
    assert_eq!(press.message.embeds[0].title.as_deref(), Some("Dune"));
}

#[test]
fn a_modal_submit_parses_with_its_typed_value() {
    let message = discord::message_with(&serde_json::json!([]), &serde_json::json!([]));
    let submit = discord::modal_submit("m1", "reason", "too old", 8, "ann", &message);
    let Interaction::Modal(modal) = parse(&submit) else {
        panic!("modal submit");
    };
    assert_eq!(modal.data.custom_id, "m1");
    let value = modal.data.components[0]
        .components
        .iter()
        .find_map(|c| match c {
            serenity::model::application::ActionRowComponent::InputText(input) => {
                input.value.clone()
            }
            _ => None,
        });
    assert_eq!(value.as_deref(), Some("too old"));
    assert!(modal.message.is_some());
}
