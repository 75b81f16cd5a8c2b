message = "héllo wörld"
"ééé" = message
